"""Sentence vectors of knowledge-base wordings, cached by model and normalised text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base


class TextVector(Base):
    """One wording's vector: float32 bytes, `dim` values, under (model_id, text_key)."""

    __tablename__ = "text_vectors"

    model_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    # SHA-1 hex of the normalised text the encoder saw (`nlu.vectors.text_key`).
    text_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
