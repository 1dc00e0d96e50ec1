"""Tickets: citizen messages that need a human reply."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.accounts import Account
from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow
from knowledge_base.models.conversations import Conversation
from knowledge_base.models.departments import Department


class TicketKind(enum.StrEnum):
    """Why a human is needed."""

    HUMAN_REQUEST = "human_request"
    COMPLAINT = "complaint"
    CLARIFY_FAILED = "clarify_failed"
    UNANSWERED = "unanswered"
    # The sender wrote faster than the rate limit: messages the bot did not decide.
    RATE_LIMITED = "rate_limited"


class TicketStatus(enum.StrEnum):
    """open → acknowledged → answered → closed."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    CLOSED = "closed"


class Ticket(Base):
    """A conversation handed to the responsible department's staff."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_status_ack_due", "status", "ack_due"),
        Index("ix_tickets_status_warn_at", "status", "warn_at"),
        Index("ix_tickets_status_resolution_due", "status", "resolution_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[TicketKind] = mapped_column(
        Enum(TicketKind, native_enum=False, length=32, values_callable=enum_values)
    )
    status: Mapped[TicketStatus] = mapped_column(
        Enum(TicketStatus, native_enum=False, length=16, values_callable=enum_values),
        default=TicketStatus.OPEN,
    )
    question: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    # Deadlines are computed once, on the working-day calendar, when the ticket opens; the alert
    # scan then only compares timestamps, which indexes make cheap.
    ack_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    first_response_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    resolution_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    warn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    conversation: Mapped[Conversation] = relationship()
    account: Mapped[Account] = relationship()
    department: Mapped[Department] = relationship()
