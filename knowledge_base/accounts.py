"""The registry of government new-media accounts (政务新媒体): open, change, suspend, close, file.

Every opening, change, suspension or closing creates a filing record (备案) to be filed with the
supervising office; a unit keeps at most one live account per platform and one name everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from knowledge_base.audit import record_change
from knowledge_base.clock import check_day
from knowledge_base.departments import get_department
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import Account, AccountStatus, Filing, FilingAction, Platform

# How filing actions are named to people (console pages, alerts).
FILING_ACTION_NAMES = {
    "open": "开设",
    "change": "变更",
    "suspend": "暂停",
    "resume": "恢复",
    "close": "注销",
}


def get_account(session: Session, *, code: str) -> Account:
    """An account by code, or NotFound."""
    account = session.scalar(
        select(Account).where(Account.code == code).options(selectinload(Account.filings))
    )
    if account is None:
        raise NotFound(f"没有编号为 {code} 的账号")
    return account


def list_accounts(
    session: Session, *, include_closed: bool = False, with_filings: bool = False
) -> list[Account]:
    """Accounts ordered by department and platform (their filing records loaded when asked)."""
    query = select(Account).order_by(Account.department_id, Account.platform, Account.id)
    if with_filings:
        query = query.options(selectinload(Account.filings))
    if not include_closed:
        query = query.where(Account.status != AccountStatus.CLOSED)
    return list(session.scalars(query))


def active_accounts(session: Session) -> list[Account]:
    """Accounts in service: neither suspended nor closed."""
    return list(session.scalars(select(Account).where(Account.status == AccountStatus.ACTIVE)))


def add_account(
    session: Session,
    *,
    code: str,
    platform: str,
    name: str,
    department: str,
    actor: str,
    opened_on: date,
    last_post_at: datetime | None = None,
) -> Account:
    """Register a newly opened account and its opening filing record."""
    check_day(opened_on, "开设日期")
    if session.scalar(select(Account.id).where(Account.code == code)) is not None:
        raise KbError(f"账号编号 {code} 已存在")
    owner = get_department(session, key=department)
    kind = _platform(platform)
    _check_one_per_platform(session, department_id=owner.id, platform=kind, name=owner.name)
    if not name.strip():
        raise KbError("账号名称不能为空")
    account = Account(
        code=code,
        platform=kind,
        name=name.strip(),
        department=owner,
        opened_on=opened_on,
        last_post_at=last_post_at,
    )
    session.add(account)
    _file(session, account, FilingAction.OPEN, opened_on, actor, f"开设 {name}")
    return account


def change_account(
    session: Session,
    *,
    code: str,
    actor: str,
    on: date,
    name: str | None = None,
    department: str | None = None,
) -> Account:
    """Rename an account or move it to another unit; a change filing is recorded."""
    account = _live(session, code)
    changes = []
    if name is not None and name.strip() and name.strip() != account.name:
        changes.append(f"名称 {account.name} → {name.strip()}")
        account.name = name.strip()
    if department is not None:
        owner = get_department(session, key=department)
        if owner.id != account.department_id:
            _check_one_per_platform(
                session, department_id=owner.id, platform=account.platform, name=owner.name
            )
            changes.append(f"主办单位 {account.department.name} → {owner.name}")
            account.department = owner
    if not changes:
        raise KbError("没有需要变更的内容")
    _file(session, account, FilingAction.CHANGE, on, actor, "；".join(changes))
    return account


def suspend_account(session: Session, *, code: str, actor: str, on: date, reason: str) -> Account:
    """Suspend updates of an account (暂停更新)."""
    check_day(on, "发生日期")
    account = _live(session, code)
    if account.status is AccountStatus.SUSPENDED:
        raise KbError(f"账号 {code} 已处于暂停状态")
    account.status = AccountStatus.SUSPENDED
    account.suspended_on = on
    _file(session, account, FilingAction.SUSPEND, on, actor, reason)
    return account


def resume_account(session: Session, *, code: str, actor: str, on: date) -> Account:
    """Resume a suspended account."""
    account = _live(session, code)
    if account.status is not AccountStatus.SUSPENDED:
        raise KbError(f"账号 {code} 未处于暂停状态")
    account.status = AccountStatus.ACTIVE
    account.suspended_on = None
    _file(session, account, FilingAction.RESUME, on, actor, "恢复更新")
    return account


def close_account(session: Session, *, code: str, actor: str, on: date, reason: str) -> Account:
    """Close an account (注销); it no longer counts for one-account-per-platform."""
    check_day(on, "发生日期")
    account = _live(session, code)
    account.status = AccountStatus.CLOSED
    account.closed_on = on
    _file(session, account, FilingAction.CLOSE, on, actor, reason)
    return account


def mark_filed(session: Session, *, filing_id: int, actor: str, on: date) -> Filing:
    """Record that a filing was submitted to the supervising office."""
    filing = session.get(Filing, filing_id)
    if filing is None:
        raise NotFound(f"没有编号为 {filing_id} 的备案记录")
    if filing.filed_on is not None:
        raise KbError(f"备案记录 {filing_id} 已于 {filing.filed_on} 完成")
    filing.filed_on = check_day(on, "备案日期")
    record_change(
        session,
        actor=actor,
        action="account.filed",
        target_type="account",
        target=filing.account.code,
        detail={"filing": filing_id, "filed_on": on.isoformat()},
    )
    return filing


def pending_filings(session: Session) -> list[Filing]:
    """Filing records not yet filed with the supervising office, oldest first, with their
    accounts."""
    return list(
        session.scalars(
            select(Filing)
            .where(Filing.filed_on.is_(None))
            .options(joinedload(Filing.account))
            .order_by(Filing.occurred_on, Filing.id)
        )
    )


def pending_filing_count(session: Session) -> int:
    """How many filing records are not yet filed."""
    return (
        session.scalar(select(func.count()).select_from(Filing).where(Filing.filed_on.is_(None)))
        or 0
    )


@dataclass(frozen=True, slots=True)
class NameMismatch:
    """One unit whose accounts carry different names on different platforms."""

    department: str
    names: dict[str, list[Platform]]  # name -> platforms


def name_mismatches(session: Session) -> list[NameMismatch]:
    """Units whose live accounts are not named the same on every platform."""
    by_unit: dict[str, dict[str, list[Platform]]] = {}
    for account in list_accounts(session):
        names = by_unit.setdefault(account.department.name, {})
        names.setdefault(account.name, []).append(account.platform)
    return [NameMismatch(unit, names) for unit, names in by_unit.items() if len(names) > 1]


def _live(session: Session, code: str) -> Account:
    account = get_account(session, code=code)
    if account.status is AccountStatus.CLOSED:
        raise KbError(f"账号 {code} 已注销")
    return account


def _platform(value: str) -> Platform:
    try:
        return Platform(value)
    except ValueError:
        allowed = "、".join(p.value for p in Platform)
        raise KbError(f"不支持的平台 {value}，可选：{allowed}") from None


def _check_one_per_platform(
    session: Session, *, department_id: int, platform: Platform, name: str
) -> None:
    clash = session.scalar(
        select(Account).where(
            Account.department_id == department_id,
            Account.platform == platform,
            Account.status != AccountStatus.CLOSED,
        )
    )
    if clash is not None:
        raise KbError(
            f"{name} 在 {platform.value} 平台已有账号 {clash.name}（{clash.code}），"
            "同一单位在同一平台只能开设一个账号"
        )


def _file(
    session: Session, account: Account, action: FilingAction, on: date, actor: str, detail: str
) -> None:
    # Every filing date feeds the working-day rules, which only know the supported years.
    account.filings.append(
        Filing(action=action, occurred_on=check_day(on, "发生日期"), detail=detail)
    )
    session.flush()
    record_change(
        session,
        actor=actor,
        action=f"account.{action.value}",
        target_type="account",
        target=account.code,
        detail={"on": on.isoformat(), "detail": detail},
    )
