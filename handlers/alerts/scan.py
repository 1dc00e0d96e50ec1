"""One alert scan: run every rule, then store what they planned in the outbox."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from handlers.alerts.account_rules import filings_overdue, forwards_missing, stale_accounts
from handlers.alerts.outbox import enqueue
from handlers.alerts.planning import PlannedAlert, ScanContext
from handlers.alerts.reports import daily_digest, weekly_report
from handlers.alerts.settings import AlertSettings
from handlers.alerts.ticket_rules import deadline_soon, overdue, unacknowledged
from handlers.workdays import WorkCalendar
from knowledge_base.db import Database
from knowledge_base.models import Staff

Rule = Callable[[ScanContext], Iterator[PlannedAlert]]
RULES: tuple[Rule, ...] = (
    unacknowledged,
    deadline_soon,
    overdue,
    stale_accounts,
    filings_overdue,
    forwards_missing,
    daily_digest,
    weekly_report,
)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan found and stored."""

    planned: int
    stored: int
    seconds: float


def scan(
    database: Database,
    *,
    now: datetime,
    calendar: WorkCalendar,
    settings: AlertSettings,
    notifiers_for: Callable[[Staff], list[str]],
) -> ScanResult:
    """Run all rules in one transaction (blocking; call it from a thread)."""
    started = time.perf_counter()
    with database.session() as session:
        ctx = ScanContext(session=session, now=now, calendar=calendar, settings=settings)
        planned = [alert for rule in RULES for alert in rule(ctx)]
        stored = enqueue(
            session,
            planned,
            notifiers_for=notifiers_for,
            now=now,
            calendar=calendar,
            settings=settings,
        )
    return ScanResult(planned=len(planned), stored=stored, seconds=time.perf_counter() - started)
