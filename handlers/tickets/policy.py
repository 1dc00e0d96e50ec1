"""How long staff have: acknowledgement, first response and resolution deadlines per ticket."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from handlers.workdays import WorkCalendar
from knowledge_base.tickets import Deadlines


class DeadlineRule(BaseModel):
    """Working days for a first response and for resolution."""

    first_response_days: int = Field(default=1, ge=0)
    resolution_days: int = Field(default=5, ge=0)


class TicketSettings(BaseModel):
    """Defaults, then overrides per ticket kind, then per department code (most specific wins)."""

    default: DeadlineRule = Field(default_factory=DeadlineRule)
    kinds: dict[str, DeadlineRule] = Field(default_factory=dict)
    departments: dict[str, DeadlineRule] = Field(default_factory=dict)
    ack_office_minutes: float = Field(default=30, gt=0)
    warn_office_hours: float = Field(default=4, gt=0)

    def rule_for(self, *, kind: str, department: str) -> DeadlineRule:
        """The rule that applies to a ticket of `kind` for the department with code `department`."""
        return self.departments.get(department) or self.kinds.get(kind) or self.default


def deadlines_for(
    settings: TicketSettings,
    calendar: WorkCalendar,
    *,
    kind: str,
    department: str,
    opened_at: datetime,
) -> Deadlines:
    """Deadlines of a ticket opened at `opened_at`, counted on the working-day calendar."""
    rule = settings.rule_for(kind=kind, department=department)
    first = calendar.deadline(opened_at, rule.first_response_days)
    # The warning goes out a few office hours before the first response is due.
    warn_minutes = settings.warn_office_hours * 60
    office_left = calendar.office_minutes_between(opened_at, first)
    warn_at = (
        calendar.add_office_minutes(opened_at, office_left - warn_minutes)
        if office_left > warn_minutes
        else calendar.next_office_time(opened_at)
    )
    return Deadlines(
        ack_due=calendar.add_office_minutes(opened_at, settings.ack_office_minutes),
        first_response_due=first,
        resolution_due=calendar.deadline(opened_at, rule.resolution_days),
        warn_at=warn_at,
    )
