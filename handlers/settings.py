"""Settings of the conversation pipeline."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PipelineSettings(BaseModel):
    """Limits that protect the service and the citizen's experience."""

    rate_limit_per_minute: int = Field(default=20, ge=1)
    dedup_seconds: float = Field(default=86_400, gt=0)
    # Long letters are stored whole; the engine reads their beginning, where the matter is stated.
    decide_chars: int = Field(default=1_000, ge=50)
    store_chars: int = Field(default=10_000, ge=100)
    # While a human owns the conversation the bot acknowledges at most this often.
    human_ack_minutes: float = Field(default=30, ge=0)
    # Clarify questions in a row that did not help before a human takes over.
    clarify_misses_for_handover: int = Field(default=2, ge=1)
    # A message that reads as a follow-up is decided with the entry answered this recently
    # (0 turns follow-ups off).
    follow_up_minutes: float = Field(default=10, ge=0)
    # A follow-up with no topic of its own is answered with the first choice of its joint
    # decision when the engine is at least this sure the right entry is among the choices.
    follow_up_answer_at: float = Field(default=0.8, ge=0, le=1)
    session_hours: float = Field(default=24, gt=0)
    # Pushed replies whose platform was unreachable are tried again this often, with backoff.
    delivery_attempts: int = Field(default=6, ge=1)
    delivery_retry_seconds: float = Field(default=30, gt=0)
