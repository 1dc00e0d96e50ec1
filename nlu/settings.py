"""Settings of the answer engine: decision thresholds and ranking sizes."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from nlu.synonyms import DEFAULT_SYNONYMS_PATH


class NluSettings(BaseModel):
    """Thresholds apply to calibrated confidences in [0, 1].

    Defaults were read off aggregate curves of the public evaluation set: `answer_threshold` is
    the lowest value whose cross-validated false-answer rate stays at or under 5 %;
    `clarify_threshold` the lowest that offers choices to at most 2 % of everyday
    non-government questions; `route_threshold` the lowest that routes under 5 % of them.
    """

    backend: str = "builtin"
    synonyms_path: Path = DEFAULT_SYNONYMS_PATH
    answer_threshold: float = Field(default=0.3, ge=0, le=1)
    # Below the answer threshold, candidates at or above this are offered as 您是不是想问.
    clarify_threshold: float = Field(default=0.01, ge=0, le=1)
    # A confident top candidate is still a clarify when the runner-up is this close behind.
    answer_margin: float = Field(default=0.0, ge=0, le=1)
    max_choices: int = Field(default=3, ge=2, le=5)
    retrieve_top_k: int = Field(default=20, ge=1, le=200)
    # Routing: minimum similarity between a message and a department's profile to refer it.
    route_threshold: float = Field(default=0.02, ge=0, le=1)
