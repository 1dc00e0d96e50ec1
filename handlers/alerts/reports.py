"""The daily digest and the weekly inspection report (每周检查调度) for the supervising office."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from handlers.alerts.planning import PlannedAlert, ScanContext
from knowledge_base.account_flags import flagged_names
from knowledge_base.accounts import pending_filing_count
from knowledge_base.service_figures import ServiceFigures, service_figures


@dataclass(slots=True, kw_only=True)
class Inspection(ServiceFigures):
    """The service figures of one period (see `knowledge_base.service_figures`), with the
    accounts gone stale and the filings still due."""

    start: datetime
    end: datetime
    stale_accounts: list[str] = field(default_factory=list)
    pending_filings: int = 0


def inspect(session: Session, *, start: datetime, end: datetime, now: datetime) -> Inspection:
    """Count what happened between `start` and `end`, and what is outstanding `now`."""
    report = Inspection(start=start, end=end)
    report.add(service_figures(session, start=start, end=end, now=now))
    report.stale_accounts = flagged_names(session, since=(now - timedelta(days=1)).date())
    report.pending_filings = pending_filing_count(session)
    return report


def render(report: Inspection, title: str) -> str:
    """The report as plain text for a push or an e-mail."""
    channels = "、".join(f"{k} {v}" for k, v in Counter(report.by_channel).most_common()) or "无"
    rate = f"{report.answer_rate:.0%}" if report.answer_rate is not None else "—"
    median = (
        f"{report.median_first_response_hours} 小时"
        if report.median_first_response_hours is not None
        else "—"
    )
    stale = "、".join(report.stale_accounts) or "无"
    return "\n".join(
        [
            title,
            f"群众留言 {report.messages_in} 条（{channels}），智能答复率 {rate}。",
            f"新增人工工单 {report.tickets_opened} 件，待办 {report.tickets_open} 件，"
            f"其中超期 {report.tickets_overdue} 件；"
            f"首次答复用时中位数 {median}。",
            f"长期未更新账号：{stale}。待备案事项 {report.pending_filings} 件。",
        ]
    )


def _at(ctx: ScanContext, moment: time) -> datetime:
    return datetime.combine(ctx.today, moment, ctx.calendar.tz)


def daily_digest(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Each working day at `digest_at`: yesterday's figures and what is outstanding."""
    firing = f"digest:{ctx.today.isoformat()}"
    if not ctx.calendar.is_workday(ctx.today) or ctx.now < _at(ctx, ctx.settings.digest_at):
        return
    if ctx.fired(firing):
        return
    end = datetime.combine(ctx.today, time(0, 0), ctx.calendar.tz)
    report = inspect(ctx.session, start=end - timedelta(days=1), end=end, now=ctx.now)
    yield PlannedAlert(
        rule="digest",
        firing=firing,
        staff=tuple(ctx.ladder.supervisors()),
        subject=f"政务新媒体每日简报 {ctx.today.isoformat()}",
        body=render(report, f"{(ctx.today - timedelta(days=1)).isoformat()} 情况："),
    )


def weekly_report(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Once a week: the inspection report of the past seven days."""
    if ctx.today.weekday() != ctx.settings.weekly_weekday or ctx.now < _at(
        ctx, ctx.settings.weekly_at
    ):
        return
    week = ctx.today.isocalendar()
    firing = f"weekly:{week.year}-W{week.week:02d}"
    if ctx.fired(firing):
        return
    end = datetime.combine(ctx.today, time(0, 0), ctx.calendar.tz)
    report = inspect(ctx.session, start=end - timedelta(days=7), end=end, now=ctx.now)
    yield PlannedAlert(
        rule="weekly",
        firing=firing,
        staff=tuple(ctx.ladder.supervisors()),
        subject=f"政务新媒体每周检查调度（{week.year}年第{week.week}周）",
        body=render(
            report,
            f"{(end - timedelta(days=7)).date().isoformat()} 至 "
            f"{(end - timedelta(days=1)).date().isoformat()}：",
        ),
    )
