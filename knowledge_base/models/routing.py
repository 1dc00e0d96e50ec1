"""Labelled routing examples: a citizen's message (masked) and the department that handles it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base, UtcDateTime, utcnow


class RoutingExample(Base):
    """One example the department classifier learns from, with where it came from."""

    __tablename__ = "routing_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Personal numbers are masked before a text is stored (`nlu.privacy`).
    text: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200), index=True)
    # import (history file), transfer (staff moved a ticket), closed (a ticket's final department).
    source: Mapped[str] = mapped_column(String(32))
    # The file name, or the ticket number.
    source_ref: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
