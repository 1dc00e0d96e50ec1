"""Storing conversations and their messages (synchronous; the pipeline runs these in threads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge_base.concurrent_writes import lock_oldest
from knowledge_base.db import Database
from knowledge_base.models import (
    Conversation,
    ConversationMode,
    Delivery,
    Direction,
    Message,
)
from knowledge_base.models.base import utcnow


@dataclass(frozen=True, slots=True)
class StoredIncoming:
    """Result of storing an incoming message; `message_id` None means it was a duplicate."""

    conversation_id: int
    message_id: int | None
    human_mode: bool


_CONVERSATIONS = cast(Table, Conversation.__table__)
_MESSAGES = cast(Table, Message.__table__)
# Plain statements built once: SQLAlchemy caches their compiled form (its dialect-specific
# ON CONFLICT inserts are not cacheable), which matters on the per-message hot path.
_FIND_CONVERSATION = select(_CONVERSATIONS.c.id, _CONVERSATIONS.c.mode).where(
    _CONVERSATIONS.c.channel == bindparam("channel"),
    _CONVERSATIONS.c.account_id == bindparam("account_id"),
    _CONVERSATIONS.c.citizen_id == bindparam("citizen_id"),
)
_CREATE_CONVERSATION = insert(_CONVERSATIONS).returning(_CONVERSATIONS.c.id)
_INSERT_MESSAGE = insert(_MESSAGES).returning(_MESSAGES.c.id)


def store_incoming(
    database: Database,
    *,
    channel: str,
    account_id: int,
    citizen_id: str,
    external_id: str | None,
    kind: str,
    masked_text: str,
    received_at: datetime,
) -> StoredIncoming:
    """Store a citizen's message (text already masked) in its conversation, in its own transaction.

    A unique-key clash means either another worker created the conversation at the same moment
    (try again: it exists now) or the platform delivered the same message id twice (a duplicate).
    """
    for attempt in range(2):
        try:
            with database.connection() as connection:
                return _store_incoming(
                    connection,
                    channel=channel,
                    account_id=account_id,
                    citizen_id=citizen_id,
                    external_id=external_id,
                    kind=kind,
                    masked_text=masked_text,
                    received_at=received_at,
                )
        except IntegrityError:
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _store_incoming(
    connection: Connection,
    *,
    channel: str,
    account_id: int,
    citizen_id: str,
    external_id: str | None,
    kind: str,
    masked_text: str,
    received_at: datetime,
) -> StoredIncoming:
    found = connection.execute(
        _FIND_CONVERSATION,
        {"channel": channel, "account_id": account_id, "citizen_id": citizen_id},
    ).first()
    if found is None:
        conversation_id = connection.execute(
            _CREATE_CONVERSATION,
            {
                "channel": channel,
                "account_id": account_id,
                "citizen_id": citizen_id,
                "mode": ConversationMode.BOT.value,
                "created_at": received_at,
            },
        ).scalar_one()
        human = False
    else:
        conversation_id, mode = found
        human = mode == ConversationMode.HUMAN
        if external_id is not None and connection.scalar(
            select(_MESSAGES.c.id).where(
                _MESSAGES.c.conversation_id == conversation_id,
                _MESSAGES.c.external_id == external_id,
            )
        ):
            return StoredIncoming(conversation_id, None, human)
    message_id = connection.execute(
        _INSERT_MESSAGE,
        {
            "conversation_id": conversation_id,
            "direction": Direction.IN.value,
            "external_id": external_id,
            "kind": kind,
            "text": masked_text,
            "author": "citizen",
            "delivery": Delivery.SENT.value,
            "created_at": received_at,
        },
    ).scalar_one()
    return StoredIncoming(conversation_id, message_id, human)


def store_outgoing(
    session: Session | Connection,
    *,
    conversation_id: int,
    text: str,
    author: str = "bot",
    decision: str | None = None,
    intent: str | None = None,
    entry_code: str | None = None,
    confidence: float | None = None,
    delivery: Delivery = Delivery.SENT,
    retry_at: datetime | None = None,
) -> int:
    """Store a reply sent (or to be sent) to the citizen; returns its id.

    One insert: a conversation's latest activity is its newest message, so nothing else changes.
    """
    now = utcnow()
    message_id = session.execute(
        _INSERT_MESSAGE,
        {
            "conversation_id": conversation_id,
            "direction": Direction.OUT.value,
            "text": text,
            "author": author,
            "kind": "text",
            "decision": decision,
            "intent": intent,
            "entry_code": entry_code,
            "confidence": confidence,
            "delivery": delivery.value,
            "delivery_next_at": retry_at,
            "created_at": now,
        },
    ).scalar_one()
    return int(message_id)


def find_conversation(
    session: Session, *, channel: str, account_id: int, citizen_id: str
) -> int | None:
    """The id of a citizen's conversation with an account on a channel, if there is one."""
    found = session.execute(
        _FIND_CONVERSATION,
        {"channel": channel, "account_id": account_id, "citizen_id": citizen_id},
    ).first()
    return int(found[0]) if found is not None else None


def leave_human_mode(session: Session, *, conversation_id: int) -> None:
    """The citizen asked the bot to answer again; an open ticket stays open for staff."""
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(mode=ConversationMode.BOT)
    )


def messages_after(session: Session, *, conversation_id: int, after_id: int) -> list[Message]:
    """Messages of a conversation newer than `after_id` (the web chat polls with this)."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after_id)
            .order_by(Message.id)
        )
    )


def reply_in(
    session: Session, *, conversation_id: int, message_id: int | None = None
) -> Message | None:
    """A reply of the conversation: the one with `message_id`, or the newest; None when there
    is no such message or it is not a reply."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if message_id is None:
        query = query.where(Message.direction == Direction.OUT).order_by(Message.id.desc())
    else:
        query = query.where(Message.id == message_id)
    found = session.scalar(query.limit(1))
    return found if found is not None and found.direction is Direction.OUT else None


def questions_before(
    session: Session, *, conversation_id: int, before_id: int, limit: int
) -> list[Message]:
    """The citizen's newest `limit` messages before message `before_id`, newest first."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.IN,
                Message.id < before_id,
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )


def latest_messages(session: Session, *, conversation_id: int, limit: int) -> list[Message]:
    """The newest `limit` messages of a conversation, oldest first (a ticket's page shows them)."""
    newest = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(reversed(list(newest)))


def lock_due_pushes(session: Session, *, now: datetime, limit: int) -> list[Message]:
    """Replies whose next delivery attempt is due by `now`, oldest first, locked for this
    transaction (rows another process holds are skipped on PostgreSQL)."""
    return lock_oldest(
        session,
        Message,
        Message.delivery == Delivery.PENDING,
        Message.delivery_next_at.is_not(None),
        Message.delivery_next_at <= now,
        limit=limit,
    )


def incoming_messages(session: Session) -> list[tuple[int, int, str]]:
    """(conversation id, message id, text) of every citizen's message."""
    query = select(Message.conversation_id, Message.id, Message.text).where(
        Message.direction == Direction.IN
    )
    return [(c, m, t) for c, m, t in session.execute(query).tuples()]


def last_reply_ids(session: Session) -> dict[int, int]:
    """The id of each conversation's newest reply, by conversation id."""
    query = (
        select(Message.conversation_id, func.max(Message.id))
        .where(Message.direction == Direction.OUT)
        .group_by(Message.conversation_id)
    )
    return {conversation: message for conversation, message in session.execute(query).tuples()}
