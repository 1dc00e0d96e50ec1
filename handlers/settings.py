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
    session_hours: float = Field(default=24, gt=0)
    # Pushed replies whose platform was unreachable are tried again this often, with backoff.
    delivery_attempts: int = Field(default=6, ge=1)
    delivery_retry_seconds: float = Field(default=30, gt=0)
