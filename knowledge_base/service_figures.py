"""The service figures the console's dashboard and the reports show, each defined once here.

A period is [start, end); "now" is when outstanding tickets are counted. Messages belong to the
department of the account they were sent to; tickets to the department that owns them. The
county's figures are the sum of its departments', so the department table always adds up to
the cards above it, and the weekly report and the dashboard show the same numbers for the same
week.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from knowledge_base.models import (
    Account,
    Conversation,
    Direction,
    Message,
    Ticket,
    TicketStatus,
)

# Tickets still waiting for staff.
WAITING = (TicketStatus.OPEN, TicketStatus.ACKNOWLEDGED)
# Replies written by staff carry this decision; every other decided reply is the bot's.
STAFF_DECISION = "staff"


@dataclass(slots=True)
class ServiceFigures:
    """The figures of one period, for one department or the whole county."""

    # 群众留言: citizen messages received in the period, by channel.
    by_channel: Counter[str] = field(default_factory=Counter)
    # The bot's replies in the period by decision (answer, clarify, route, fallback, intent…);
    # staff replies are not the bot's and are not counted.
    bot_replies: Counter[str] = field(default_factory=Counter)
    # 新增人工工单: tickets opened in the period.
    tickets_opened: int = 0
    # 待办工单: tickets waiting for staff now, whenever they were opened.
    tickets_open: int = 0
    # 超期工单: waiting tickets whose first-response deadline has passed now, with no response.
    tickets_overdue: int = 0
    # Hours from opening to the first staff response, of the period's tickets answered so far.
    first_response_hours: list[float] = field(default_factory=list)

    @property
    def messages_in(self) -> int:
        """群众留言: citizen messages received in the period."""
        return sum(self.by_channel.values())

    @property
    def answered(self) -> int:
        """直接答复: the bot's replies that answered from the knowledge base."""
        return self.bot_replies.get("answer", 0)

    @property
    def answer_rate(self) -> float | None:
        """智能答复率: the bot's replies that answered from the knowledge base, over all the
        bot's replies (clarifying questions, referrals, "not found", intents); staff replies are
        not counted. None when the bot replied to nothing."""
        total = sum(self.bot_replies.values())
        return self.answered / total if total else None

    @property
    def median_first_response_hours(self) -> float | None:
        """首次答复用时中位数: median hours from opening to the first staff response, of the
        period's tickets answered so far (one decimal)."""
        hours = self.first_response_hours
        return round(statistics.median(hours), 1) if hours else None

    def add(self, other: ServiceFigures) -> None:
        """Add another department's figures to these."""
        self.by_channel.update(other.by_channel)
        self.bot_replies.update(other.bot_replies)
        self.tickets_opened += other.tickets_opened
        self.tickets_open += other.tickets_open
        self.tickets_overdue += other.tickets_overdue
        self.first_response_hours.extend(other.first_response_hours)


def figures_by_department(
    session: Session, *, start: datetime, end: datetime, now: datetime
) -> dict[int, ServiceFigures]:
    """Each department's figures (by department id); departments with nothing are left out."""
    found: dict[int, ServiceFigures] = {}

    def of(department_id: int) -> ServiceFigures:
        return found.setdefault(int(department_id), ServiceFigures())

    in_period = (Message.created_at >= start) & (Message.created_at < end)
    by_account = (
        select(Account.department_id)
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Account, Account.id == Conversation.account_id)
        .where(in_period)
    )
    arrivals = (
        by_account.add_columns(Conversation.channel, func.count())
        .where(Message.direction == Direction.IN)
        .group_by(Account.department_id, Conversation.channel)
    )
    for department_id, channel, n in session.execute(arrivals).tuples():
        of(department_id).by_channel[str(channel)] += int(n)
    replies = (
        by_account.add_columns(Message.decision, func.count())
        .where(
            Message.direction == Direction.OUT,
            Message.decision.is_not(None),
            Message.decision != STAFF_DECISION,
        )
        .group_by(Account.department_id, Message.decision)
    )
    for department_id, decision, n in session.execute(replies).tuples():
        of(department_id).bot_replies[str(decision)] += int(n)
    opened = select(Ticket.department_id, Ticket.created_at, Ticket.first_response_at).where(
        Ticket.created_at >= start, Ticket.created_at < end
    )
    for department_id, created, responded in session.execute(opened).tuples():
        figures = of(department_id)
        figures.tickets_opened += 1
        if responded is not None:
            figures.first_response_hours.append((responded - created).total_seconds() / 3600)
    waiting = Ticket.status.in_(WAITING)
    overdue = waiting & Ticket.first_response_at.is_(None) & (Ticket.first_response_due <= now)
    outstanding = select(
        Ticket.department_id,
        func.count(),
        func.count(case((overdue, 1))),
    ).where(waiting)
    for department_id, open_now, overdue_now in session.execute(
        outstanding.group_by(Ticket.department_id)
    ).tuples():
        figures = of(department_id)
        figures.tickets_open += int(open_now)
        figures.tickets_overdue += int(overdue_now)
    return found


def service_figures(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    department_id: int | None = None,
) -> ServiceFigures:
    """The figures of one department, or of the whole county when `department_id` is None."""
    every = figures_by_department(session, start=start, end=end, now=now)
    if department_id is not None:
        return every.get(department_id, ServiceFigures())
    county = ServiceFigures()
    for figures in every.values():
        county.add(figures)
    return county
