"""The daily digest and the weekly inspection report (每周检查调度) for the supervising office."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.alerts.planning import PlannedAlert, ScanContext
from knowledge_base.models import (
    Account,
    AccountFlag,
    Conversation,
    Direction,
    Filing,
    Message,
    Ticket,
    TicketStatus,
)


@dataclass(slots=True)
class Inspection:
    """Figures of one period."""

    start: datetime
    end: datetime
    messages_in: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)
    tickets_opened: int = 0
    tickets_open: int = 0
    tickets_overdue: int = 0
    median_first_response_hours: float | None = None
    stale_accounts: list[str] = field(default_factory=list)
    pending_filings: int = 0

    @property
    def answer_rate(self) -> float | None:
        """Share of bot replies that answered from the knowledge base."""
        total = sum(self.decisions.values())
        return self.decisions.get("answer", 0) / total if total else None


def inspect(session: Session, *, start: datetime, end: datetime, now: datetime) -> Inspection:
    """Count what happened between `start` and `end`, and what is outstanding `now`."""
    report = Inspection(start=start, end=end)
    in_period = (Message.created_at >= start) & (Message.created_at < end)
    report.by_channel = dict(
        session.execute(
            select(Conversation.channel, func.count())
            .join(Message, Message.conversation_id == Conversation.id)
            .where(in_period, Message.direction == Direction.IN)
            .group_by(Conversation.channel)
        )
        .tuples()
        .all()
    )
    report.messages_in = sum(report.by_channel.values())
    report.decisions = {
        str(k): v
        for k, v in session.execute(
            select(Message.decision, func.count())
            .where(in_period, Message.direction == Direction.OUT, Message.decision.is_not(None))
            .group_by(Message.decision)
        ).tuples()
    }
    report.tickets_opened = (
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.created_at >= start, Ticket.created_at < end)
        )
        or 0
    )
    waiting = Ticket.status.in_([TicketStatus.OPEN, TicketStatus.ACKNOWLEDGED])
    report.tickets_open = (
        session.scalar(select(func.count()).select_from(Ticket).where(waiting)) or 0
    )
    report.tickets_overdue = (
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(waiting, Ticket.first_response_at.is_(None), Ticket.first_response_due <= now)
        )
        or 0
    )
    hours = [
        (answered - opened).total_seconds() / 3600
        for opened, answered in session.execute(
            select(Ticket.created_at, Ticket.first_response_at).where(
                Ticket.first_response_at.is_not(None),
                Ticket.created_at >= start,
                Ticket.created_at < end,
            )
        ).tuples()
        if answered is not None
    ]
    report.median_first_response_hours = round(statistics.median(hours), 1) if hours else None
    report.stale_accounts = sorted(
        set(
            session.scalars(
                select(Account.name)
                .join(AccountFlag, AccountFlag.account_id == Account.id)
                .where(AccountFlag.flagged_on >= (now - timedelta(days=1)).date())
            )
        )
    )
    report.pending_filings = (
        session.scalar(select(func.count()).select_from(Filing).where(Filing.filed_on.is_(None)))
        or 0
    )
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
