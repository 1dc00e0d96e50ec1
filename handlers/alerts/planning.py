"""What an alert rule produces: a planned alert for some staff, before the outbox stores it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.alerts.recipients import Ladder
from handlers.alerts.settings import AlertSettings
from handlers.workdays import WorkCalendar
from knowledge_base.models import Alert, Staff


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


@dataclass(slots=True)
class ScanContext:
    """Everything a rule needs for one scan."""

    session: Session
    now: datetime
    calendar: WorkCalendar
    settings: AlertSettings
    ladder: Ladder = field(init=False)

    def __post_init__(self) -> None:
        self.ladder = Ladder(self.session, self.today)

    @property
    def today(self) -> date:
        """The county's date now."""
        return self.now.astimezone(self.calendar.tz).date()

    def fired(self, firing: str) -> bool:
        """Whether this firing is already in the outbox (skip work that would be thrown away)."""
        return (
            self.session.scalar(select(Alert.id).where(Alert.firing == firing).limit(1)) is not None
        )

    def local(self, moment: datetime) -> str:
        """A timestamp as staff read it."""
        return moment.astimezone(self.calendar.tz).strftime("%m月%d日 %H:%M")
