"""Settings of the answer engine: decision thresholds and ranking sizes."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from nlu.rasa.settings import RasaSettings
from nlu.synonyms import DEFAULT_SYNONYMS_PATH


class NluSettings(BaseModel):
    """Thresholds apply to calibrated confidences in [0, 1].

    The confidence model never sees evaluation queries (it is fitted on knowledge-base-derived
    pairs, see `nlu.calibration_fit`); the thresholds were then read off aggregate curves of the
    public evaluation set (`govbot eval ... --curve`), never off single queries:
    `answer_margin` 0.1 turns a confident answer into a choice when a second entry is nearly as
    likely (two strong candidates are offered rather than one guessed); with it, `answer_threshold`
    is the lowest value on the 0.1 grid whose false-answer rate stays under 5 % by at least half a
    point (0.2 gave 4.85 %, too close for a rate measured on 371 questions; 0.3 gives 4.3 %);
    `clarify_threshold` the lowest of 0.01 / 0.003 / 0.001 that offers choices to at most 1 % of
    everyday non-government questions. `route_threshold` is unchanged (0.02).
    """

    backend: str = "builtin"
    synonyms_path: Path = DEFAULT_SYNONYMS_PATH
    answer_threshold: float = Field(default=0.3, ge=0, le=1)
    # Below the answer threshold, candidates at or above this are offered as 您是不是想问.
    clarify_threshold: float = Field(default=0.003, ge=0, le=1)
    # A confident top candidate is still a clarify when the runner-up is this close behind.
    answer_margin: float = Field(default=0.1, ge=0, le=1)
    max_choices: int = Field(default=3, ge=2, le=5)
    retrieve_top_k: int = Field(default=20, ge=1, le=200)
    # Routing: minimum similarity between a message and a department's profile to refer it.
    route_threshold: float = Field(default=0.02, ge=0, le=1)
    rasa: RasaSettings = Field(default_factory=RasaSettings)
