"""Ticket alerts: not acknowledged in time, deadline close, overdue (escalating daily)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import joinedload

from handlers.alerts.planning import PlannedAlert, ScanContext
from knowledge_base.models import Alert, Ticket, TicketStatus

KIND_NAMES = {
    "human_request": "要求人工服务",
    "complaint": "投诉举报",
    "clarify_failed": "多次未能识别",
    "unanswered": "本部门事项待答复",
}
WAITING = (TicketStatus.OPEN, TicketStatus.ACKNOWLEDGED)


def _not_alerted(rule: str, since: datetime | None = None) -> ColumnElement[bool]:
    condition = and_(Alert.ticket_id == Ticket.id, Alert.rule == rule)
    if since is not None:
        condition = and_(condition, Alert.created_at >= since)
    return ~exists().where(condition)


def _summary(ticket: Ticket) -> str:
    question = ticket.question.replace("\n", " ")
    question = question if len(question) <= 80 else question[:80] + "…"
    return (
        f"工单 #{ticket.id}（{KIND_NAMES.get(ticket.kind.value, ticket.kind.value)}，"
        f"{ticket.account.name}）：{question}"
    )


def unacknowledged(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """New tickets nobody acknowledged within the office minutes allowed."""
    tickets = ctx.session.scalars(
        select(Ticket)
        .where(Ticket.status == TicketStatus.OPEN, Ticket.ack_due <= ctx.now, _not_alerted("ack"))
        .options(joinedload(Ticket.account))
    )
    for t in tickets:
        due = ctx.local(t.first_response_due) if t.first_response_due else "—"
        yield PlannedAlert(
            rule="ack",
            firing=f"ack:{t.id}",
            staff=tuple(ctx.ladder.duty(t.department_id)),
            subject=f"新留言待认领：工单 #{t.id}",
            body=f"{_summary(t)}\n请尽快认领并答复，答复期限 {due}。直接回复本消息即可答复群众。",
            ticket_id=t.id,
        )


def deadline_soon(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Tickets whose first-response deadline is a few office hours away."""
    tickets = ctx.session.scalars(
        select(Ticket)
        .where(
            Ticket.status.in_(WAITING),
            Ticket.warn_at <= ctx.now,
            Ticket.first_response_due > ctx.now,
            Ticket.first_response_at.is_(None),
            _not_alerted("soon"),
        )
        .options(joinedload(Ticket.account))
    )
    for t in tickets:
        assert t.first_response_due is not None
        yield PlannedAlert(
            rule="soon",
            firing=f"soon:{t.id}",
            staff=tuple(ctx.ladder.duty(t.department_id)),
            subject=f"即将超期：工单 #{t.id}",
            body=f"{_summary(t)}\n答复期限 {ctx.local(t.first_response_due)}，请尽快答复。",
            ticket_id=t.id,
        )


def overdue(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Tickets past their deadline: once a day, one rung higher per overdue working day."""
    start_of_day = datetime.combine(ctx.today, datetime.min.time(), ctx.calendar.tz)
    tickets = ctx.session.scalars(
        select(Ticket)
        .where(
            Ticket.status.in_(WAITING),
            Ticket.first_response_at.is_(None),
            Ticket.first_response_due <= ctx.now,
            _not_alerted("overdue", since=start_of_day),
        )
        .options(joinedload(Ticket.account))
    )
    for t in tickets:
        assert t.first_response_due is not None
        level = _working_days_since(ctx, t.first_response_due)
        rung = ("值班人员", "分管领导", "主管单位")[min(level, 2)]
        yield PlannedAlert(
            rule="overdue",
            firing=f"overdue:{t.id}:{ctx.today.isoformat()}",
            staff=tuple(ctx.ladder.rung(t.department_id, level)),
            subject=f"已超期：工单 #{t.id}（提醒{rung}）",
            body=(
                f"{_summary(t)}\n答复期限 {ctx.local(t.first_response_due)} 已过"
                f"{f'，已超期 {level} 个工作日' if level else ''}，请立即处理。"
            ),
            urgent=True,
            ticket_id=t.id,
        )


def _working_days_since(ctx: ScanContext, due: datetime) -> int:
    day = due.astimezone(ctx.calendar.tz).date()
    count = 0
    while day < ctx.today and count < 3:  # the ladder has three rungs; no need to count further
        day += timedelta(days=1)
        if ctx.calendar.is_workday(day):
            count += 1
    return count
