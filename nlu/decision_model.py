"""The fitted decision model: how likely the best candidate is the right answer, and how likely
the right entry is among the candidates at all.

Two gradient-boosted classifiers per mode (semantic, lexical), monotone in every feature whose
direction is known (`nlu.features.MONOTONE`), fitted by `govbot eval fit` (`nlu.decision_fit`)
on the public evaluation sets. The estimators are stored with skops (a safe, non-pickle format;
only scikit-learn and numpy types are accepted on load) and described by a JSON card beside them:
feature names, thresholds, the data they were fitted on and their cross-validated figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from nlu.features import FEATURE_NAMES

MODES = ("semantic", "lexical")
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "config" / "decision_model.json"
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "builtins.")


class DecisionModelError(Exception):
    """The decision model file is missing, unreadable or was fitted on other features."""


def positive_probability(model: Any, x: np.ndarray) -> float:
    """P(label 1) of the first row of `x` (0 when the model only ever saw label 0)."""
    classes = list(model.classes_)
    if 1 not in classes:
        return 0.0
    return float(model.predict_proba(x)[0, classes.index(1)])


@dataclass(frozen=True)
class ModeModel:
    """The two classifiers of one mode and the thresholds read off their curves."""

    answer: Any
    scope: Any
    answer_threshold: float
    clarify_threshold: float
    # Semantic mode only: a message the lexical model answers with at least this probability is
    # answered without encoding it (None: always encode).
    fast_threshold: float | None = None


@dataclass(frozen=True)
class DecisionModel:
    """Both modes' classifiers; `card` is the JSON description as stored."""

    modes: dict[str, ModeModel]
    card: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, mode: str, row: np.ndarray) -> tuple[float, float]:
        """(P(best candidate is right), P(right entry among the candidates)) for one row."""
        model = self.modes[mode]
        x = row.reshape(1, -1)
        return positive_probability(model.answer, x), positive_probability(model.scope, x)


def _trusted(path: Path) -> list[str]:
    import skops.io

    untrusted = skops.io.get_untrusted_types(file=path)
    refused = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if refused:
        raise DecisionModelError(f"{path.name} holds types that are not trusted: {refused}")
    return list(untrusted)


@lru_cache(maxsize=8)
def _estimators(path: Path, mtime_ns: int, size: int) -> Any:
    """The estimators of one version of a skops file, read once per process: every engine built
    (or reloaded) afterwards shares them, as they are only read. A refitted file (another
    modification time or size) is read again."""
    import skops.io

    return skops.io.load(path, trusted=_trusted(path))


def load_decision_model(path: Path = DEFAULT_MODEL_PATH) -> DecisionModel:
    """Read the card at `path` and the estimators it names; DecisionModelError when unusable."""
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
        estimators_path = (path.parent / str(card["estimators"])).resolve()
        stat = estimators_path.stat()
        estimators = _estimators(estimators_path, stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DecisionModelError(f"cannot read decision model {path}: {exc}") from None
    if tuple(card.get("features", ())) != FEATURE_NAMES:
        raise DecisionModelError(
            f"decision model {path.name} was fitted on other features; run `govbot eval fit`"
        )
    modes = {}
    for mode in MODES:
        spec = card["modes"][mode]
        modes[mode] = ModeModel(
            answer=estimators[mode]["answer"],
            scope=estimators[mode]["scope"],
            answer_threshold=float(spec["answer_threshold"]),
            clarify_threshold=float(spec["clarify_threshold"]),
            fast_threshold=(
                None if spec.get("fast_threshold") is None else float(spec["fast_threshold"])
            ),
        )
    return DecisionModel(modes, card)


def save_decision_model(model: DecisionModel, path: Path) -> None:
    """Write the estimators (skops) and the card (JSON) beside each other."""
    import skops.io

    estimators_path = path.with_suffix(".skops")
    skops.io.dump(
        {m: {"answer": v.answer, "scope": v.scope} for m, v in model.modes.items()},
        estimators_path,
    )
    card = dict(model.card)
    card["estimators"] = estimators_path.name
    card["features"] = list(FEATURE_NAMES)
    card["modes"] = {
        m: {
            **card.get("modes", {}).get(m, {}),
            "answer_threshold": v.answer_threshold,
            "clarify_threshold": v.clarify_threshold,
            "fast_threshold": v.fast_threshold,
        }
        for m, v in model.modes.items()
    }
    path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
