"""What an alert rule produces: a planned alert for some staff, before the outbox stores it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from handlers.alerts.recipients import Ladder
from handlers.alerts.settings import AlertSettings
from handlers.workdays import WorkCalendar
from knowledge_base.alerts import has_fired
from knowledge_base.errors import KbError
from knowledge_base.models import Staff

log = logging.getLogger(__name__)

# How each rule's alerts are named to staff (the outbox listing).
RULE_NAMES = {
    "ack": "新留言待认领",
    "soon": "工单即将超期",
    "overdue": "工单已超期",
    "zombie": "账号长期未更新",
    "zombie_serious": "账号达到通报标准",
    "filing": "账号备案逾期",
    "forward": "重要信息未转发",
    "unhelpful": "答复效果提醒",
    "digest": "每日简报",
    "weekly": "每周检查调度",
    "scan_problem": "提醒扫描跳过的记录",
    "spool_quarantine": "群众消息未能处理",
    "reply_failed": "答复未能送达",
}


@dataclass(frozen=True, slots=True)
class PlannedAlert:
    """One firing of a rule for one subject; the outbox makes one row per staff and notifier."""

    rule: str
    firing: str
    staff: tuple[Staff, ...]
    subject: str
    body: str
    urgent: bool = False
    ticket_id: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A record a rule had to skip, and why."""

    rule: str
    record: str
    reason: str


@dataclass(slots=True)
class ScanContext:
    """Everything a rule needs for one scan."""

    session: Session
    now: datetime
    calendar: WorkCalendar
    settings: AlertSettings
    ladder: Ladder = field(init=False)
    problems: list[Problem] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.ladder = Ladder(self.session, self.today)

    @property
    def today(self) -> date:
        """The county's date now."""
        return self.now.astimezone(self.calendar.tz).date()

    def fired(self, firing: str) -> bool:
        """Whether this firing is already in the outbox (skip work that would be thrown away)."""
        return has_fired(self.session, firing=firing)

    @contextlib.contextmanager
    def each(self, rule: str, record: str) -> Iterator[None]:
        """One record's share of a rule: a fault in it (an impossible date, a broken row) is
        logged and noted for the supervisors, and the rule goes on with the next record."""
        try:
            yield
        except SQLAlchemyError:
            raise  # the transaction itself is broken: the rule's savepoint takes it back
        except Exception as exc:
            reason = str(exc) if isinstance(exc, KbError) else f"{type(exc).__name__}: {exc}"
            log.warning("alert rule %s skipped %s: %s", rule, record, reason)
            self.problems.append(Problem(rule, record, reason))

    def local(self, moment: datetime) -> str:
        """A timestamp as staff read it."""
        return moment.astimezone(self.calendar.tz).strftime("%m月%d日 %H:%M")
