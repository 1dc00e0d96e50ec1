"""Ticket alerts: not acknowledged in time, deadline close, overdue (escalating daily)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row

from handlers.alerts.planning import PlannedAlert, ScanContext
from knowledge_base.models import StaffRole
from knowledge_base.staff import STAFF_ROLE_NAMES
from knowledge_base.ticket_scans import (
    overdue_tickets,
    tickets_near_deadline,
    unacknowledged_tickets,
)
from knowledge_base.tickets import TICKET_KIND_NAMES

# Who an overdue ticket's alert reaches, by working days overdue (the last rung stays).
LADDER = (StaffRole.DUTY, StaffRole.LEADER, StaffRole.SUPERVISOR)


def _summary(ticket: Row[Any]) -> str:
    question = ticket.question.replace("\n", " ")
    question = question if len(question) <= 80 else question[:80] + "…"
    kind = TICKET_KIND_NAMES.get(str(ticket.kind.value), str(ticket.kind.value))
    return f"工单 #{ticket.id}（{kind}，{ticket.account}）：{question}"


def unacknowledged(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """New tickets nobody acknowledged within the office minutes allowed."""
    for t in unacknowledged_tickets(ctx.session, now=ctx.now, unless_alerted="ack"):
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
    for t in tickets_near_deadline(ctx.session, now=ctx.now, unless_alerted="soon"):
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
    for t in overdue_tickets(
        ctx.session, now=ctx.now, unless_alerted="overdue", alerted_since=start_of_day
    ):
        level = _working_days_since(ctx, t.first_response_due)
        rung = STAFF_ROLE_NAMES[LADDER[min(level, 2)]]
        late = f"，已超期 {level} 个工作日" if level else ""
        yield PlannedAlert(
            rule="overdue",
            firing=f"overdue:{t.id}:{ctx.today.isoformat()}",
            staff=tuple(ctx.ladder.rung(t.department_id, level)),
            subject=f"已超期：工单 #{t.id}（提醒{rung}）",
            body=(
                f"{_summary(t)}\n答复期限 {ctx.local(t.first_response_due)} 已过{late}，"
                "请立即处理。"
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
