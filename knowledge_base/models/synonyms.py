"""Synonym groups used by the answer engine, global or per department."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base


class SynonymGroupRow(Base):
    """Words that mean the same; `department_id` None means everywhere."""

    __tablename__ = "synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical: Mapped[str] = mapped_column(String(100))
    variants: Mapped[list[str]] = mapped_column(JSON, default=list)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), default=None, index=True
    )
