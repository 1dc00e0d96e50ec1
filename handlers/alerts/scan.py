"""One alert scan: run every rule, then store what they planned in the outbox."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from handlers.alerts.account_rules import filings_overdue, forwards_missing, stale_accounts
from handlers.alerts.feedback_rules import unhelpful_entries
from handlers.alerts.outbox import enqueue
from handlers.alerts.planning import PlannedAlert, Problem, ScanContext
from handlers.alerts.reports import daily_digest, weekly_report
from handlers.alerts.settings import AlertSettings
from handlers.alerts.ticket_rules import deadline_soon, overdue, unacknowledged
from handlers.workdays import WorkCalendar
from knowledge_base.db import Database
from knowledge_base.models import Staff

log = logging.getLogger(__name__)

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
    unhelpful_entries,
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
    """Run every rule (blocking; call it from a thread). Each rule runs in its own savepoint and
    each record in its own guard, so one bad record or one failing rule never stops the others:
    the fault is logged and reported once to the supervising office."""
    started = time.perf_counter()
    with database.session() as session:
        ctx = ScanContext(session=session, now=now, calendar=calendar, settings=settings)
        planned: list[PlannedAlert] = []
        for rule in RULES:
            try:
                with session.begin_nested():
                    planned.extend(rule(ctx))
            except Exception as exc:
                log.exception("alert rule %s failed; the other rules went on", rule.__name__)
                ctx.problems.append(Problem(rule.__name__, "整条规则", type(exc).__name__))
        planned.extend(_problem_reports(ctx))
        stored = enqueue(
            session,
            planned,
            notifiers_for=notifiers_for,
            now=now,
            calendar=calendar,
            settings=settings,
        )
    return ScanResult(planned=len(planned), stored=stored, seconds=time.perf_counter() - started)


def _problem_reports(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """One alert per skipped record to the supervising office; the firing names the record,
    so the same fault is reported once however often the scan meets it."""
    supervisors = tuple(ctx.ladder.supervisors())
    for problem in ctx.problems:
        yield PlannedAlert(
            rule="scan_problem",
            firing=f"problem:{problem.rule}:{problem.record}"[:200],
            staff=supervisors,
            subject=f"值班提醒跳过了一条有问题的记录：{problem.record}"[:200],
            body=(
                f"规则 {problem.rule} 处理{problem.record}时出错，已跳过，其余提醒照常发送。"
                f"原因：{problem.reason}。请核对并更正该记录。"
            ),
        )
