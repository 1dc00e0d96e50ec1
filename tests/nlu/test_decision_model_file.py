"""The decision model file: engines share what was read, and a refitted file is read again."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np

from nlu.decision_model import load_decision_model, save_decision_model
from nlu.features import FEATURE_NAMES


def test_a_model_rewritten_in_place_is_read_again(tmp_path: Path) -> None:
    fitted = load_decision_model()
    path = tmp_path / "decision_model.json"
    save_decision_model(fitted, path)
    row = np.zeros(len(FEATURE_NAMES))
    before = load_decision_model(path)
    assert load_decision_model(path).modes["semantic"].answer is before.modes["semantic"].answer

    # A refit that swapped the two classifiers of the semantic mode, written over the old file.
    semantic = fitted.modes["semantic"]
    swapped = dataclasses.replace(semantic, answer=semantic.scope, scope=semantic.answer)
    save_decision_model(
        dataclasses.replace(fitted, modes={**fitted.modes, "semantic": swapped}), path
    )
    estimators = path.with_suffix(".skops")
    stat = estimators.stat()
    os.utime(estimators, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = load_decision_model(path)
    assert after.probabilities("semantic", row) == before.probabilities("semantic", row)[::-1]
