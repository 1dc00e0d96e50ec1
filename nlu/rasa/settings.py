"""Settings of the Rasa backend: where the server is, how long it may take, when to stop asking.

Rasa only ranks the entries; whether to answer, offer choices or refer is decided by the same
decision model as the built-in engine (`nlu.policy`), so there are no Rasa answer thresholds.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class RasaSettings(BaseModel):
    """How the `rasa` backend talks to its server and turns Rasa's ranking into decisions."""

    url: str = "http://127.0.0.1:5005"
    # One attempt's time limit; with the retry the whole call stays inside `budget_s`.
    timeout_s: float = Field(default=0.8, gt=0, le=5)
    retries: int = Field(default=1, ge=0, le=3)
    # Rasa's share of WeChat's 5 s: what is left still covers the built-in engine and the reply.
    budget_s: float = Field(default=1.5, gt=0, le=4)
    # Circuit breaker: after this many failed calls in a row Rasa is skipped for `cooldown_s`.
    failures_to_open: int = Field(default=3, ge=1)
    cooldown_s: float = Field(default=30.0, gt=0)
    # A conversation intent (greeting, human, …) must be at least this confident to win.
    intent_threshold: float = Field(default=0.6, ge=0, le=1)
