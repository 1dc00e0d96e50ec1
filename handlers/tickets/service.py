"""What staff do with tickets: acknowledge, reply (delivered on the citizen's channel), transfer
to another department (转办), close.

A reply is stored first, then delivered through the citizen's channel adapter; when delivery
fails (WeChat's 48-hour window has closed, the bot was blocked) the staff member is told why and
the ticket stays open with the reason noted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from handlers.compose import Reply
from handlers.deliveries import LEASE, STAFF_PREFIX, TRANSFER_NOTICE, Deliveries
from handlers.messages import SendOutcome
from knowledge_base.audit import record_change
from knowledge_base.clock import CountyClock
from knowledge_base.conversations import store_outgoing
from knowledge_base.db import Database
from knowledge_base.departments import find_department
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import (
    Conversation,
    ConversationMode,
    Delivery,
    DepartmentKind,
    Ticket,
    TicketKind,
    TicketStatus,
)
from knowledge_base.routing_examples import label_ticket
from knowledge_base.tickets import get_ticket

# A transfer reason goes into the audit log and the routing history: a few sentences, at most.
MAX_REASON_CHARS = 1000
# A staff answer is one message to the citizen, within Telegram's 4096 characters.
MAX_REPLY_CHARS = 4000


class ReplyChannel(Protocol):
    """What the ticket service needs of a channel adapter: delivering a later reply."""

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome: ...


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What happened to a staff reply."""

    ticket_id: int
    delivered: bool
    detail: str
    response_minutes: float | None = None


def acknowledge(database: Database, *, ticket_id: int, staff: str, clock: CountyClock) -> Ticket:
    """A staff member takes the ticket (stops the acknowledgement alert)."""
    with database.session() as session:
        ticket = get_ticket(session, ticket_id=ticket_id)
        if ticket.status is TicketStatus.CLOSED:
            raise KbError(f"工单 {ticket_id} 已关闭")
        if ticket.status is TicketStatus.OPEN:
            ticket.status = TicketStatus.ACKNOWLEDGED
            ticket.acknowledged_at = clock.now()
            ticket.answered_by = staff
        return ticket


def _learn(session: Session, ticket: Ticket, department: str, source: str) -> None:
    """Where staff placed a ticket's matter is a label the department classifier learns from;
    a request for a person (转人工) says nothing about the matter, so it teaches nothing."""
    if ticket.kind is not TicketKind.HUMAN_REQUEST:
        label_ticket(
            session,
            ticket_id=ticket.id,
            text=ticket.question,
            department=department,
            source=source,
        )


def close(database: Database, *, ticket_id: int, staff: str, clock: CountyClock) -> Ticket:
    """Close the ticket; the bot answers the conversation again. The department that closed
    it is the matter's final department: a routing example, unless it is the master unit (the
    general office, where every message to the main account lands): its closing a ticket says
    nothing about which department the matter belongs to. A transfer there by staff stays the
    ticket's label."""
    with database.session() as session:
        ticket = get_ticket(session, ticket_id=ticket_id)
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = clock.now()
        ticket.answered_by = ticket.answered_by or staff
        ticket.conversation.mode = ConversationMode.BOT
        if ticket.department.kind is not DepartmentKind.MASTER:
            _learn(session, ticket, ticket.department.name, "closed")
        return ticket


def _prepare_reply(
    database: Database, ticket_id: int, text: str, staff: str, clock: CountyClock
) -> tuple[int, str, str, str]:
    with database.session() as session:
        ticket = get_ticket(session, ticket_id=ticket_id)
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
        ticket = get_ticket(session, ticket_id=ticket_id)
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
    if len(text) > MAX_REPLY_CHARS:
        raise KbError(
            f"答复最多 {MAX_REPLY_CHARS} 字（现有 {len(text)} 字），请精简或分条答复后再发送"
        )
    message_id, channel_name, account, citizen = await asyncio.to_thread(
        _prepare_reply, database, ticket_id, text, staff, deliveries.clock
    )
    channel = channels.get(channel_name)
    if channel is None:
        outcome = SendOutcome(Delivery.FAILED, f"渠道 {channel_name} 未启用，无法送达")
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


@dataclass(frozen=True, slots=True)
class TransferOutcome:
    """What a transfer did: the department now handling it, and whether the citizen was told."""

    ticket_id: int
    department: str
    told: bool
    detail: str


@dataclass(frozen=True, slots=True)
class _Notice:
    """The message telling the citizen of a transfer, stored, and where to deliver it."""

    message_id: int
    text: str
    channel: str
    account: str
    citizen: str
    department: str


def _prepare_transfer(
    database: Database, ticket_id: int, to: str, reason: str, staff: str, now: datetime
) -> _Notice:
    with database.session() as session:
        ticket = get_ticket(session, ticket_id=ticket_id)
        if ticket.status is TicketStatus.CLOSED:
            raise KbError(f"工单 {ticket_id} 已关闭，不能转办")
        department = find_department(session, key=to)
        if department is None:
            raise NotFound(f"部门 {to} 不存在")
        previous = ticket.department
        if department.id == previous.id:
            raise KbError(f"工单 {ticket_id} 已由{department.name}办理")
        # The new department gets its own acknowledgement window (as long as the one the ticket
        # opened with); the citizen's promised response and resolution times stay as they were.
        if ticket.ack_due is not None:
            ticket.ack_due = now + (ticket.ack_due - ticket.created_at)
        ticket.department_id = department.id
        ticket.status = TicketStatus.OPEN
        ticket.acknowledged_at = None
        record_change(
            session,
            actor=staff,
            action="ticket.transfer",
            target_type="ticket",
            target=str(ticket_id),
            detail={"from": previous.name, "to": department.name, "reason": reason},
        )
        _learn(session, ticket, department.name, "transfer")
        text = (
            f"您反映的事项已转交{department.name}办理"
            + (f"（联系电话：{department.phone}）" if department.phone else "")
            + "，将在原定时限内答复您。"
        )
        message_id = store_outgoing(
            session,
            conversation_id=ticket.conversation_id,
            text=text,
            author=f"{STAFF_PREFIX}{staff}",
            decision=TRANSFER_NOTICE,
            delivery=Delivery.PENDING,
            # Should this process stop before the platform answers, the redelivery job sends it.
            retry_at=now + LEASE,
        )
        return _Notice(
            message_id,
            text,
            ticket.channel,
            ticket.account.code,
            ticket.conversation.citizen_id,
            department.name,
        )


async def transfer(
    database: Database,
    channels: Mapping[str, ReplyChannel],
    *,
    ticket_id: int,
    to: str,
    reason: str,
    staff: str,
    deliveries: Deliveries,
) -> TransferOutcome:
    """Move a ticket to department `to` (转办), audited with `reason`, and tell the citizen
    which department now handles it on the channel they used (a passing failure leaves the
    notice in the retry queue)."""
    reason = reason.strip()
    if not reason:
        raise KbError("转办须说明理由")
    if len(reason) > MAX_REASON_CHARS:
        raise KbError(
            f"转办理由最多 {MAX_REASON_CHARS} 字（现有 {len(reason)} 字），请精简后再提交"
        )
    notice = await asyncio.to_thread(
        _prepare_transfer, database, ticket_id, to, reason, staff, deliveries.clock.now()
    )
    channel = channels.get(notice.channel)
    if channel is None:
        outcome = SendOutcome(Delivery.FAILED, f"渠道 {notice.channel} 未启用，未能告知群众")
    else:
        outcome = await channel.deliver(
            account=notice.account, citizen_id=notice.citizen, reply=Reply(text=notice.text)
        )
    settled = await asyncio.to_thread(deliveries.record, notice.message_id, outcome)
    told = settled.state is Delivery.SENT
    return TransferOutcome(
        ticket_id, notice.department, told, "已告知群众" if told else outcome.detail
    )
