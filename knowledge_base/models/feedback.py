"""Citizens' "was this helpful" votes on answers, per entry version, anonymised."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base, UtcDateTime, utcnow


class AnswerFeedback(Base):
    """One vote on one answer: which entry version, helpful or not, and on which channel.

    No citizen id and no text are kept; `reply_id` (the answer's message row) only makes one
    answer count once, however often its buttons are tapped.
    """

    __tablename__ = "answer_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_code: Mapped[str] = mapped_column(String(64), index=True)
    entry_version: Mapped[int | None] = mapped_column(Integer, default=None)
    helpful: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(32))
    reply_id: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
