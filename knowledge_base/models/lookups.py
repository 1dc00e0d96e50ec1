"""Look-ups by hotline operators (12345) and front-desk staff on the console's look-up page."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow


class LookupOutcome(enum.StrEnum):
    """How the call ended, as the operator marked it (open until they do)."""

    OPEN = "open"
    SATISFIED = "satisfied"
    TRANSFERRED = "transferred"


class HotlineLookup(Base):
    """One question an operator typed, what the engine decided, and how the call ended."""

    __tablename__ = "hotline_lookups"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator: Mapped[str] = mapped_column(String(64), index=True)
    # Personal numbers are masked before a text is stored (`nlu.privacy`).
    text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    entry_code: Mapped[str] = mapped_column(String(64), default="")
    referral: Mapped[str] = mapped_column(String(200), default="")
    # Whose unanswered-questions inbox the look-up feeds: the operator's department, else the
    # department it was referred to, else the supervising office.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    outcome: Mapped[LookupOutcome] = mapped_column(
        Enum(LookupOutcome, native_enum=False, length=16, values_callable=enum_values),
        default=LookupOutcome.OPEN,
    )
    outcome_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
