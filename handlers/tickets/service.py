"""What staff do with tickets: acknowledge, reply (delivered on the citizen's channel), close.

A reply is stored first, then delivered through the citizen's channel adapter; when delivery
fails (WeChat's 48-hour window has closed, the bot was blocked) the staff member is told why and
the ticket stays open with the reason noted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from handlers.compose import Reply
from handlers.deliveries import LEASE, STAFF_PREFIX, Deliveries
from handlers.messages import Delivery as Outcome
from handlers.records import store_outgoing
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import (
    Conversation,
    ConversationMode,
    Delivery,
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


def acknowledge(database: Database, *, ticket_id: int, staff: str, clock: CountyClock) -> Ticket:
    """A staff member takes the ticket (stops the acknowledgement alert)."""
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        if ticket.status is TicketStatus.CLOSED:
            raise KbError(f"工单 {ticket_id} 已关闭")
        if ticket.status is TicketStatus.OPEN:
            ticket.status = TicketStatus.ACKNOWLEDGED
            ticket.acknowledged_at = clock.now()
            ticket.answered_by = staff
        return ticket


def close(database: Database, *, ticket_id: int, staff: str, clock: CountyClock) -> Ticket:
    """Close the ticket; the bot answers the conversation again."""
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = clock.now()
        ticket.answered_by = ticket.answered_by or staff
        ticket.conversation.mode = ConversationMode.BOT
        return ticket


def _prepare_reply(
    database: Database, ticket_id: int, text: str, staff: str, clock: CountyClock
) -> tuple[int, str, str, str]:
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        if ticket.status is TicketStatus.CLOSED:
            raise KbError(f"工单 {ticket_id} 已关闭，不能再答复")
        message_id = store_outgoing(
            session,
            conversation_id=ticket.conversation_id,
            text=text,
            author=f"{STAFF_PREFIX}{staff}",
            decision="staff",
            delivery=Delivery.PENDING,
            # Should this process stop before the platform answers, the redelivery job sends it.
            retry_at=clock.now() + LEASE,
        )
        conversation: Conversation = ticket.conversation
        return message_id, ticket.channel, ticket.account.code, conversation.citizen_id


def _response_minutes(database: Database, ticket_id: int) -> float | None:
    with database.session() as session:
        ticket = _ticket(session, ticket_id)
        if ticket.first_response_at is None:
            return None
        return (ticket.first_response_at - ticket.created_at).total_seconds() / 60


async def reply(
    database: Database,
    channels: Mapping[str, ReplyChannel],
    *,
    ticket_id: int,
    text: str,
    staff: str,
    deliveries: Deliveries,
) -> ReplyOutcome:
    """Deliver a staff member's answer to the citizen on the channel they used; a passing
    failure leaves it in the retry queue, and the ticket says so."""
    text = text.strip()
    if not text:
        raise KbError("答复内容不能为空")
    message_id, channel_name, account, citizen = await asyncio.to_thread(
        _prepare_reply, database, ticket_id, text, staff, deliveries.clock
    )
    channel = channels.get(channel_name)
    if channel is None:
        outcome = Outcome("failed", f"渠道 {channel_name} 未启用，无法送达")
    else:
        outcome = await channel.deliver(account=account, citizen_id=citizen, reply=Reply(text=text))
    settled = await asyncio.to_thread(deliveries.record, message_id, outcome)
    if settled.state is Delivery.SENT:
        return ReplyOutcome(
            ticket_id=ticket_id,
            delivered=True,
            detail="已送达群众",
            response_minutes=await asyncio.to_thread(_response_minutes, database, ticket_id),
        )
    detail = (
        f"{outcome.detail}（已加入重试队列，送达或最终失败时会通知您）"
        if settled.state is Delivery.PENDING
        else outcome.detail
    )
    return ReplyOutcome(ticket_id=ticket_id, delivered=False, detail=detail)
