"""The confidence model: monotone in every feature, and fitted weights respect that."""

from __future__ import annotations

import numpy as np

from nlu.calibration import DEFAULT, fit_logistic
from nlu.features import EXPECTED_SIGNS, FEATURE_NAMES


def test_default_weights_point_the_expected_way() -> None:
    assert len(DEFAULT.weights) == len(FEATURE_NAMES) == len(EXPECTED_SIGNS)
    assert all(w * s >= 0 for w, s in zip(DEFAULT.weights, EXPECTED_SIGNS, strict=True))


def test_more_similar_wording_means_higher_confidence() -> None:
    weak = [0.5] * len(FEATURE_NAMES)
    for name in ("char_cosine", "exact"):
        strong = list(weak)
        strong[FEATURE_NAMES.index(name)] = 1.0
        assert DEFAULT.confidence(strong) > DEFAULT.confidence(weak)


def test_a_missing_key_term_or_other_number_means_lower_confidence() -> None:
    base = [0.5] * len(FEATURE_NAMES)
    for name in ("query_rarest_miss", "entry_rarest_miss", "numbers_differ"):
        worse = list(base)
        worse[FEATURE_NAMES.index(name)] = 1.0
        assert DEFAULT.confidence(worse) < DEFAULT.confidence(base)


def test_a_feature_with_the_wrong_sign_is_dropped_from_the_fit() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((400, len(FEATURE_NAMES)))
    cosine = FEATURE_NAMES.index("char_cosine")
    exact = FEATURE_NAMES.index("exact")
    # Labels follow cosine, and (spuriously) the absence of exact matches.
    y = ((x[:, cosine] - 0.5 * x[:, exact]) > 0.2).astype(float)
    fitted = fit_logistic(x, y)
    assert fitted.weights[cosine] > 0
    assert fitted.weights[exact] == 0.0
    assert fitted.confidence(x[0]) == DEFAULT.__class__.confidence(fitted, x[0])
