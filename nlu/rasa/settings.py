"""Settings of the Rasa backend: where the server is, how long it may take, when to stop asking.

Thresholds apply to an entry's share of the response selector's top-10 ranking, not to the
built-in engine's calibrated confidences, so they are set separately. Defaults were read off the
public evaluation set with a 500-entry model (answer: false-answer rate <= 5 %; clarify: choices
offered for about 3 % of questions that must not be answered).
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
    answer_threshold: float = Field(default=0.2, ge=0, le=1)
    clarify_threshold: float = Field(default=0.18, ge=0, le=1)
    # A top entry this close to the runner-up is offered as a choice rather than answered.
    answer_margin: float = Field(default=0.0, ge=0, le=1)
    # A conversation intent (greeting, human, …) must be at least this confident to win.
    intent_threshold: float = Field(default=0.6, ge=0, le=1)
