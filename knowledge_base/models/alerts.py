"""The durable outbox of staff alerts: one row per firing, recipient and notifier."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow
from knowledge_base.models.staff import Staff


class AlertStatus(enum.StrEnum):
    """pending → sent, or failed after the last retry."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Alert(Base):
    """A message to one staff member through one notifier.

    `firing` names one firing of a rule for one subject (e.g. ``overdue:ticket:12:2026-11-23``);
    the unique key on (firing, staff, notifier) is what keeps several schedulers from sending
    the same alert twice.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("firing", "staff_id", "notifier"),
        Index("ix_alerts_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(32))
    firing: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    notifier: Mapped[str] = mapped_column(String(16))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id"), default=None, index=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[AlertStatus] = mapped_column(
        Enum(AlertStatus, native_enum=False, length=16, values_callable=enum_values),
        default=AlertStatus.PENDING,
    )
    # Urgent alerts may leave outside office hours but never in quiet hours; the dispatcher
    # checks this again at every send (retries and a late backlog included).
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The notifier's id of the sent message (a Telegram message id), to match staff replies.
    provider_message_id: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)

    staff: Mapped[Staff] = relationship(lazy="joined")
