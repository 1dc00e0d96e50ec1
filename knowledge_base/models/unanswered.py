"""Questions staff dismissed from the unanswered list (stored by their matching form)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base, UtcDateTime, utcnow


class DismissedQuestion(Base):
    """A wording that needs no entry (chit-chat, a one-off); hidden from the unanswered list."""

    __tablename__ = "dismissed_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_form: Mapped[str] = mapped_column(String(500), unique=True)
    dismissed_by: Mapped[str] = mapped_column(String(64))
    dismissed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
