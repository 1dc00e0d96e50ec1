"""Training the department classifier: on demand (`govbot routing train`) and on schedule when
enough new labelled examples arrived since the newest model.

A trained version is written beside the others (`nlu.department_model`) with its
cross-validated accuracy and the newest example it saw; then an audit record is written, so
every process's live knowledge (`handlers.live_knowledge`) reloads and its engine picks the new
version up within seconds.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from knowledge_base.audit import record_change
from knowledge_base.db import Database
from knowledge_base.errors import KbError
from knowledge_base.routing_examples import all_examples, example_count
from knowledge_base.snapshot import load_directory
from nlu.department_model import (
    MIN_EXAMPLES_PER_DEPARTMENT,
    labelled,
    newest_card,
    remit_priors,
    too_few_examples,
    train,
)
from nlu.settings import NluSettings
from nlu.vectors import Embedder

log = logging.getLogger(__name__)


class TrainingRefused(KbError):
    """Nothing was trained (no model directory, no usable examples, too few per department)."""


@dataclass(frozen=True, slots=True)
class Trained:
    """A stored version: its card (version, examples, cross-validated figures), where it is,
    and how long training took."""

    card: dict[str, Any]
    path: Path
    seconds: float


def _directory(settings: NluSettings) -> Path:
    if settings.routing_models is None:
        raise TrainingRefused("未配置分派模型目录（nlu.routing_models）")
    return settings.routing_models


def last_trained_example(settings: NluSettings) -> int:
    """Id of the newest example the newest model learned from (0 with no model)."""
    card = newest_card(settings.routing_models) if settings.routing_models else None
    if card is None:
        return 0
    try:
        return int(json.loads(card.read_text(encoding="utf-8")).get("last_example", 0))
    except (OSError, ValueError, TypeError):
        return 0


def new_examples(database: Database, settings: NluSettings) -> int:
    """Examples stored since the newest model was trained."""
    after = last_trained_example(settings)
    with database.session() as session:
        return example_count(session, after=after)


def train_department_model(
    database: Database, settings: NluSettings, embedder: Embedder, *, now: datetime, actor: str
) -> Trained:
    """Train on every stored example of a directory department and store the next version;
    TrainingRefused (nothing stored) when the examples cannot teach a classifier."""
    directory_path = _directory(settings)
    started = time.perf_counter()
    with database.session() as session:
        directory = load_directory(session)
        stored = [(e.id, e.text, e.department) for e in all_examples(session)]
    known = {d.name for d in directory.departments}
    rows = [(text, department) for _, text, department in stored if department in known]
    if not rows:
        raise TrainingRefused("没有可用的分派样本：请先运行 govbot routing import")
    short = too_few_examples([d for _, d in rows])
    if short:
        listed = "、".join(f"{d} {n} 条" for d, n in short.items())
        raise TrainingRefused(
            f"分派样本太少，未训练（每个部门至少 {MIN_EXAMPLES_PER_DEPARTMENT} 条；{listed}）；"
            "仍按部门职责分派"
        )
    examples = labelled([t for t, _ in rows], [d for _, d in rows], embedder)
    model, path = train(
        examples,
        remit_priors(directory, embedder),
        directory=directory_path,
        now=now,
        card={"encoder": embedder.encoder.model_id, "last_example": max(i for i, _, _ in stored)},
    )
    seconds = time.perf_counter() - started
    figures = model.card["cross_validated"]
    with database.session() as session:
        # The audit record also moves the change counter: live engines reload the new version.
        record_change(
            session,
            actor=actor,
            action="routing.train",
            target_type="department_model",
            target=f"v{model.card['version']}",
            detail={
                "examples": len(examples),
                "accuracy": figures["mean"] if figures else None,
                "seconds": round(seconds, 1),
            },
        )
    return Trained(model.card, path, seconds)


def retrain_if_due(
    database: Database, settings: NluSettings, embedder: Embedder, *, now: datetime
) -> Trained | None:
    """Train a new version when at least `routing_retrain_examples` examples arrived since the
    newest one (the scheduled job); None when not due or refused (logged)."""
    threshold = settings.routing_retrain_examples
    if not threshold or settings.routing_models is None:
        return None
    arrived = new_examples(database, settings)
    if arrived < threshold:
        return None
    try:
        trained = train_department_model(database, settings, embedder, now=now, actor="scheduler")
    except TrainingRefused as exc:
        log.info("department model not retrained (%d new examples): %s", arrived, exc)
        return None
    log.info(
        "department model v%s trained on %d examples (%d new) in %.1f s",
        trained.card["version"],
        trained.card["examples"],
        arrived,
        trained.seconds,
    )
    return trained
