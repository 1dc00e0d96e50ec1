"""What staff do with tickets: acknowledge, reply (delivered on the citizen's channel), close.

A reply is stored first, then delivered through the citizen's channel adapter; when delivery
fails (WeChat's 48-hour window has closed, the bot was blocked) the staff member is told why and
the ticket stays open with the reason noted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from handlers.compose import Reply
from handlers.messages import Delivery as Outcome
from handlers.records import store_outgoing
from knowledge_base.db import Database
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import (
    Conversation,
    ConversationMode,
    Delivery,
    Message,
    Ticket,
    TicketStatus,
)


class ReplyChannel(Protocol):
    """What the ticket service needs of a channel adapter: delivering a later reply."""

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What happened to a staff reply."""

    ticket_id: int
    delivered: bool
    detail: str
    response_minutes: float | None = None


def _ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.scalar(
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(joinedload(Ticket.conversation), joinedload(Ticket.account))
    )
    if ticket is None:
        raise NotFound(f"没有编号为 {ticket_id} 的工单")
    return ticket


def acknowledge(database: Database, *, ticket_id: int, staff: str) -> Ticket:
    """A staff member takes the ticket (stops the acknowledgement alert)."""
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        if ticket.status is TicketStatus.CLOSED:
            raise KbError(f"工单 {ticket_id} 已关闭")
        if ticket.status is TicketStatus.OPEN:
            ticket.status = TicketStatus.ACKNOWLEDGED
            ticket.acknowledged_at = datetime.now(UTC)
            ticket.answered_by = staff
        return ticket


def close(database: Database, *, ticket_id: int, staff: str) -> Ticket:
    """Close the ticket; the bot answers the conversation again."""
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = datetime.now(UTC)
        ticket.answered_by = ticket.answered_by or staff
        ticket.conversation.mode = ConversationMode.BOT
        return ticket


def _prepare_reply(
    database: Database, ticket_id: int, text: str, staff: str
) -> tuple[int, str, str, str]:
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        if ticket.status is TicketStatus.CLOSED:
            raise KbError(f"工单 {ticket_id} 已关闭，不能再答复")
        message_id = store_outgoing(
            session,
            conversation_id=ticket.conversation_id,
            text=text,
            author=f"staff:{staff}",
            decision="staff",
            delivery=Delivery.PENDING,
        )
        conversation: Conversation = ticket.conversation
        return message_id, ticket.channel, ticket.account.code, conversation.citizen_id


def _record_delivery(
    database: Database, *, ticket_id: int, message_id: int, staff: str, delivered: bool, detail: str
) -> float | None:
    now = datetime.now(UTC)
    with database.session() as session:
        session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(delivery=Delivery.SENT if delivered else Delivery.FAILED)
        )
        ticket = _ticket(session, ticket_id)
        if not delivered:
            ticket.note = f"{now:%Y-%m-%d %H:%M} 答复未送达：{detail}"
            return None
        ticket.status = TicketStatus.ANSWERED
        ticket.answered_at = now
        ticket.answered_by = staff
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        ticket.note = ""
        return (ticket.first_response_at - ticket.created_at).total_seconds() / 60


async def reply(
    database: Database,
    channels: Mapping[str, ReplyChannel],
    *,
    ticket_id: int,
    text: str,
    staff: str,
) -> ReplyOutcome:
    """Deliver a staff member's answer to the citizen on the channel they used."""
    text = text.strip()
    if not text:
        raise KbError("答复内容不能为空")
    message_id, channel_name, account, citizen = await asyncio.to_thread(
        _prepare_reply, database, ticket_id, text, staff
    )
    channel = channels.get(channel_name)
    if channel is None:
        delivered, detail = False, f"渠道 {channel_name} 未启用，无法送达"
    else:
        outcome = await channel.deliver(account=account, citizen_id=citizen, reply=Reply(text=text))
        delivered, detail = outcome.status == "sent", outcome.detail
    minutes = await asyncio.to_thread(
        _record_delivery,
        database,
        ticket_id=ticket_id,
        message_id=message_id,
        staff=staff,
        delivered=delivered,
        detail=detail,
    )
    return ReplyOutcome(
        ticket_id=ticket_id,
        delivered=delivered,
        detail="已送达群众" if delivered else detail,
        response_minutes=minutes,
    )
