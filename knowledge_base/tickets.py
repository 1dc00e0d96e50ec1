"""Tickets in storage: opening one for a conversation handed to a human, and finding one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from knowledge_base.errors import NotFound
from knowledge_base.models import (
    Conversation,
    ConversationMode,
    Ticket,
    TicketKind,
    TicketStatus,
    is_row_id,
)

# Why a ticket was opened, as staff say it (console, CLI, alerts).
TICKET_KIND_NAMES = {
    "human_request": "群众要求人工",
    "complaint": "投诉",
    "clarify_failed": "多次澄清未果",
    "unanswered": "知识库未覆盖",
    "rate_limited": "发送过快未自动答复",
}


@dataclass(frozen=True, slots=True)
class Deadlines:
    """When a ticket must be acknowledged, first answered and resolved, and when to warn."""

    ack_due: datetime
    first_response_due: datetime
    resolution_due: datetime
    warn_at: datetime


def get_ticket(session: Session, *, ticket_id: int) -> Ticket:
    """A ticket with its conversation, account and department loaded, or NotFound."""
    if not is_row_id(ticket_id):
        raise NotFound(f"没有编号为 {ticket_id} 的工单")
    ticket = session.scalar(
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(
            joinedload(Ticket.conversation),
            joinedload(Ticket.account),
            joinedload(Ticket.department),
        )
    )
    if ticket is None:
        raise NotFound(f"没有编号为 {ticket_id} 的工单")
    return ticket


def tickets_in(
    session: Session,
    *,
    statuses: Iterable[TicketStatus],
    department_id: int | None = None,
    limit: int | None = None,
) -> list[Ticket]:
    """The tickets in the given states (of one department when given), oldest first (the
    oldest `limit` when given), with their departments and accounts loaded."""
    query = (
        select(Ticket)
        .where(Ticket.status.in_(list(statuses)))
        .options(joinedload(Ticket.department), joinedload(Ticket.account))
        .order_by(Ticket.created_at)
        .limit(limit)
    )
    if department_id is not None:
        query = query.where(Ticket.department_id == department_id)
    return list(session.scalars(query))


def unclosed_ticket(session: Session, *, conversation_id: int) -> Ticket | None:
    """The conversation's newest ticket that is not closed, if any."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.conversation_id == conversation_id,
            Ticket.status != TicketStatus.CLOSED,
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )


def ticketed_conversations(session: Session) -> set[int]:
    """The conversations that ever had a ticket."""
    return set(session.scalars(select(Ticket.conversation_id)))


def open_ticket(
    session: Session,
    *,
    conversation_id: int,
    account_id: int,
    department_id: int,
    channel: str,
    kind: TicketKind,
    question: str,
    opened_at: datetime,
    deadlines: Deadlines,
) -> Ticket:
    """Hand the conversation to a human: one open ticket per conversation, mode set to human."""
    # Writing the conversation first takes its row lock (PostgreSQL) or the write lock (SQLite),
    # so messages handed over at the same moment see each other's ticket instead of each
    # opening one.
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(mode=ConversationMode.HUMAN)
    )
    existing = session.scalar(
        select(Ticket).where(
            Ticket.conversation_id == conversation_id,
            Ticket.status.in_([TicketStatus.OPEN, TicketStatus.ACKNOWLEDGED]),
        )
    )
    if existing is not None:
        return existing
    ticket = Ticket(
        conversation_id=conversation_id,
        account_id=account_id,
        department_id=department_id,
        channel=channel,
        kind=kind,
        question=question,
        created_at=opened_at,
        ack_due=deadlines.ack_due,
        first_response_due=deadlines.first_response_due,
        resolution_due=deadlines.resolution_due,
        warn_at=deadlines.warn_at,
    )
    session.add(ticket)
    session.flush()
    return ticket
