"""Citizen conversations and every message in them, as stored (personal data masked)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.accounts import Account
from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow


class ConversationMode(enum.StrEnum):
    """Who answers: the bot, or a human who has taken over."""

    BOT = "bot"
    HUMAN = "human"


class Direction(enum.StrEnum):
    """Citizen to account, or account to citizen."""

    IN = "in"
    OUT = "out"


class Delivery(enum.StrEnum):
    """Whether an outgoing message reached the citizen, as the platform answered: pending until
    it did (and while retries are due), failed with the platform's error after the last one."""

    SENT = "sent"
    PENDING = "pending"
    FAILED = "failed"
    # Never sent as a message: the reply to a public comment is drafted on the comment (and
    # posted, or not, after review); the comment records what was published.
    HELD = "held"


class Conversation(Base):
    """One citizen on one channel with one account."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "account_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    # The platform's id of the citizen (WeChat openid, Telegram chat id, web session id).
    citizen_id: Mapped[str] = mapped_column(String(128))
    mode: Mapped[ConversationMode] = mapped_column(
        Enum(ConversationMode, native_enum=False, length=16, values_callable=enum_values),
        default=ConversationMode.BOT,
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    account: Mapped[Account] = relationship(lazy="joined")


class Message(Base):
    """A message in or out; the text is stored with ID, phone and card numbers masked."""

    __tablename__ = "messages"
    __table_args__ = (
        # Platforms retry deliveries; one platform message id is stored once.
        Index(
            "uq_messages_external",
            "conversation_id",
            "external_id",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL"),
            postgresql_where=text("external_id IS NOT NULL"),
        ),
        Index("ix_messages_created", "created_at"),
        Index("ix_messages_redelivery", "delivery", "delivery_next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[Direction] = mapped_column(
        Enum(Direction, native_enum=False, length=8, values_callable=enum_values)
    )
    external_id: Mapped[str | None] = mapped_column(String(128), default=None)
    kind: Mapped[str] = mapped_column(String(32), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="citizen")
    decision: Mapped[str | None] = mapped_column(String(16), default=None)
    intent: Mapped[str | None] = mapped_column(String(32), default=None)
    entry_code: Mapped[str | None] = mapped_column(String(64), default=None)
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    delivery: Mapped[Delivery] = mapped_column(
        Enum(Delivery, native_enum=False, length=16, values_callable=enum_values),
        default=Delivery.SENT,
    )
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    delivery_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    # When the next delivery attempt is due (pending replies only).
    delivery_next_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship()
