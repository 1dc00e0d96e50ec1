"""Loading a county's directory, accounts, synonyms and entries from the files in `config/`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge_base.accounts import add_account, close_account, suspend_account
from knowledge_base.audit import record_change
from knowledge_base.departments import find_department, read_aliases
from knowledge_base.errors import KbError
from knowledge_base.importing import ImportReport, import_file
from knowledge_base.models import Department, DepartmentKind, FallbackContact, SynonymGroupRow
from knowledge_base.staff import StaffRow, upsert_staff
from nlu.synonyms import read_synonyms


@dataclass(frozen=True, slots=True)
class CountyReport:
    """What loading a county created."""

    county: str
    departments: int
    accounts: int
    synonym_groups: int
    entries: ImportReport


def is_empty(session: Session) -> bool:
    """Whether the database holds no departments yet (a fresh install)."""
    return (session.scalar(select(func.count()).select_from(Department)) or 0) == 0


def load_county(
    session: Session, *, county_dir: Path, synonyms_file: Path, actor: str, today: date
) -> CountyReport:
    """Create the county's departments, fallback, accounts, synonyms and published entries;
    accounts without an opening date open on `today` (the county's date)."""
    data = _read_yaml(county_dir / "county.yaml")
    for item in data.get("departments", []):
        session.add(_department(item))
    fallback = data.get("fallback") or {}
    session.add(
        FallbackContact(
            name=str(fallback.get("name", "12345政务服务便民热线")),
            phone=str(fallback.get("phone", "12345")),
            hours=str(fallback.get("hours", "")),
            note=str(fallback.get("note", "")),
        )
    )
    session.flush()
    accounts = data.get("accounts", [])
    for item in accounts:
        _account(session, item, actor, today)
    staff_file = county_dir / "staff.yaml"
    if staff_file.is_file():
        for row in _read_yaml(staff_file):
            upsert_staff(session, StaffRow.model_validate(row), actor=actor)
    groups = load_synonyms_file(session, path=synonyms_file, actor=actor)
    entries = import_file(session, path=county_dir / "entries.yaml", actor=actor)
    record_change(
        session,
        actor=actor,
        action="county.load",
        target_type="county",
        target=str(data.get("county", "")),
        detail={"departments": len(data.get("departments", []))},
    )
    return CountyReport(
        county=str(data.get("county", "")),
        departments=len(data.get("departments", [])),
        accounts=len(accounts),
        synonym_groups=groups,
        entries=entries,
    )


def load_synonyms_file(session: Session, *, path: Path, actor: str) -> int:
    """Replace all synonym groups with those in `path` (read by `nlu.synonyms.read_synonyms`,
    which describes the shapes); returns how many groups."""
    if not path.is_file():
        return 0
    try:
        groups = read_synonyms(path)
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise KbError(f"同义词文件 {path.name} 格式不正确：{exc}") from exc
    rows: list[SynonymGroupRow] = []
    for group in groups:
        if not group.variants:
            raise KbError(f"同义词组 {group.canonical} 至少需要两个词")
        department_id = None
        if group.department is not None:
            department = find_department(session, key=group.department)
            if department is None:
                raise KbError(f"同义词文件 {path.name} 中的部门 {group.department} 不存在")
            department_id = department.id
        rows.append(
            SynonymGroupRow(
                canonical=group.canonical,
                variants=list(group.variants),
                department_id=department_id,
            )
        )
    session.execute(delete(SynonymGroupRow))
    session.add_all(rows)
    record_change(
        session,
        actor=actor,
        action="synonyms.load",
        target_type="synonyms",
        target=path.name,
        detail={"groups": len(rows)},
    )
    return len(rows)


def _department(item: dict[str, Any]) -> Department:
    leader = item.get("leader") or {}
    liaison = item.get("liaison") or {}
    return Department(
        code=str(item["code"]),
        name=str(item["name"]),
        kind=DepartmentKind(item.get("kind", "department")),
        remit=str(item.get("remit", "")),
        aliases=read_aliases(item.get("aliases"), department=str(item["name"])),
        phone=str(item.get("phone", "")),
        address=str(item.get("address", "")),
        hours=str(item.get("hours", "")),
        leader_name=str(leader.get("name", "")),
        leader_phone=str(leader.get("phone", "")),
        liaison_name=str(liaison.get("name", "")),
        liaison_phone=str(liaison.get("phone", "")),
    )


def _account(session: Session, item: dict[str, Any], actor: str, today: date) -> None:
    opened = _as_date(item.get("opened_on")) or today
    last_post = item.get("last_post_at")
    if isinstance(last_post, str):
        last_post = datetime.fromisoformat(last_post)
    account = add_account(
        session,
        code=str(item["code"]),
        platform=str(item["platform"]),
        name=str(item["name"]),
        department=str(item["department"]),
        actor=actor,
        opened_on=opened,
        last_post_at=last_post,
    )
    # Accounts in the sample data predate the system, so their opening was filed at the time.
    account.filings[-1].filed_on = opened
    if item.get("status") == "suspended":
        suspended = _as_date(item.get("suspended_on")) or opened
        suspend_account(session, code=account.code, actor=actor, on=suspended, reason="样例数据")
        account.filings[-1].filed_on = suspended
    elif item.get("status") == "closed":
        closed = _as_date(item.get("closed_on")) or opened
        close_account(session, code=account.code, actor=actor, on=closed, reason="样例数据")
        account.filings[-1].filed_on = closed


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) else None


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise KbError(f"找不到文件 {path}") from None
    except yaml.YAMLError as exc:
        raise KbError(f"{path.name} 不是有效的 YAML：{exc}") from None
