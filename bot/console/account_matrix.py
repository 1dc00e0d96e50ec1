"""The 1+N account matrix: departments × platforms, with status, filings and stale flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from knowledge_base.account_flags import STALE, recent_rules
from knowledge_base.accounts import list_accounts
from knowledge_base.departments import list_departments
from knowledge_base.models import Account, Department, Platform

PLATFORM_NAMES = {
    Platform.WECHAT_OFFICIAL: "微信公众号",
    Platform.WECHAT_MINI: "微信小程序",
    Platform.WEIBO: "微博",
    Platform.DOUYIN: "抖音",
    Platform.TOUTIAO: "今日头条",
    Platform.TELEGRAM: "Telegram",
    Platform.WEB: "网站",
    Platform.APP: "客户端",
}
STATUS_NAMES = {"active": "正常", "suspended": "暂停更新", "closed": "已注销"}
RULE_NAMES = {STALE: "长期未更新（僵尸账号）"}


@dataclass(frozen=True, slots=True)
class Cell:
    """One account in the matrix."""

    account: Account
    days_silent: int | None
    flagged: str  # the stale rule raised recently, or ""
    pending_filings: int


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One unit's accounts by platform."""

    department: Department
    cells: dict[Platform, Cell]


def matrix(session: Session, *, today: date) -> tuple[list[Platform], list[MatrixRow]]:
    """Platforms in use and one row per unit; closed accounts are left out."""
    accounts = list_accounts(session, with_filings=True)
    recent = today - timedelta(days=2)
    flags = recent_rules(session, since=recent)
    by_unit: dict[int, dict[Platform, Cell]] = {}
    for account in accounts:
        silent = (today - account.last_post_at.date()).days if account.last_post_at else None
        by_unit.setdefault(account.department_id, {})[account.platform] = Cell(
            account,
            silent,
            flags.get(account.id, ""),
            sum(1 for f in account.filings if f.filed_on is None),
        )
    platforms = [p for p in Platform if any(p in cells for cells in by_unit.values())]
    rows = [MatrixRow(d, by_unit.get(d.id, {})) for d in list_departments(session)]
    return platforms, rows
