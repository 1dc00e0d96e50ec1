"""Settings of the answer engine: encoder, decision model and thresholds, jurisdiction."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from nlu.decision_model import DEFAULT_MODEL_PATH
from nlu.dense_index import DEFAULT_ANN_ABOVE
from nlu.department_model import DEFAULT_ROUTING_DIR
from nlu.rasa.settings import RasaSettings


class NluSettings(BaseModel):
    """How the engine encodes, ranks and decides.

    The answer and clarify thresholds come with the decision model (read off its aggregate
    cross-validated curves by `govbot eval fit`); set them here only to override the model's.
    """

    backend: str = "builtin"
    # Sentence encoder of the built-in engine; "none" runs it in lexical mode.
    encoder: str = "e5-small"
    # OpenMP threads of a batch encoding outside the engine's pool (new wordings on reload,
    # `kb reindex`, evaluation): the batch is spread over them, one text per thread.
    encoder_threads: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)
    # Decisions (encoding, ranking, the model) that may run at once in one process, each on one
    # core, in a bounded pool outside the event loop; with several web workers, cores / workers.
    encoder_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)
    # How entry wordings are encoded: as the model's queries (symmetric matching) or passages.
    wordings_as: Literal["query", "passage"] = "query"
    # Above this many wordings the vector search is approximate (HNSW) instead of exact.
    ann_above: int = Field(default=DEFAULT_ANN_ABOVE, ge=1)
    decision_model: Path = DEFAULT_MODEL_PATH
    # Answer without encoding when words alone make the answer certain (see `nlu.policy`).
    fast_path: bool = True
    answer_threshold: float | None = Field(default=None, ge=0, le=1)
    clarify_threshold: float | None = Field(default=None, ge=0, le=1)
    max_choices: int = Field(default=3, ge=2, le=5)
    retrieve_top_k: int = Field(default=20, ge=1, le=200)
    # The area the knowledge base answers for (北京市, 云溪县); unset: inferred from the entries.
    jurisdiction: str | None = None
    # Other names of places inside the jurisdiction (towns, the county's own short names).
    jurisdiction_aliases: list[str] = Field(default_factory=list)
    # Routing: minimum similarity between a message and a department's profile to refer it.
    route_threshold: float = Field(default=0.02, ge=0, le=1)
    # A letter whose words match no remit is still referred when its sentence vector's cosine
    # to a remit reaches this: for multilingual-e5-small, the 99th percentile of 300 everyday
    # questions (LCQMC, no government topic), which two thirds of real letters reach.
    route_semantic_evidence: float = Field(default=0.873, ge=0, le=1)
    # Where `govbot routing train` stores department models; the newest one trained for the
    # directory's departments chooses the department. None: zero-shot (remits and words) only.
    routing_models: Path | None = DEFAULT_ROUTING_DIR
    # The scheduler trains a new department model when at least this many labelled examples
    # (closed and transferred tickets, imports) arrived since the newest one; 0: only by hand.
    routing_retrain_examples: int = Field(default=20, ge=0)
    # How often the scheduler looks for new examples.
    routing_retrain_minutes: float = Field(default=60, gt=0)
    rasa: RasaSettings = Field(default_factory=RasaSettings)
