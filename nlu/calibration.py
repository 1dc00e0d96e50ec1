"""Calibrated confidence: a logistic model over the re-ranking features.

`DEFAULT` was fitted with `nlu.calibration_fit.fit_self_supervised` (L2-regularised,
sign-constrained logistic regression pooled over all retrieved candidates) on pairs derived from a
knowledge base alone: perturbed entry questions as positives, held-out and key-term-swapped
questions as near misses. No citizen query or evaluation label is used, so every figure measured
on the evaluation query sets is held out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nlu.features import EXPECTED_SIGNS, FEATURE_NAMES


@dataclass(frozen=True, slots=True)
class Calibration:
    """Logistic weights (in `FEATURE_NAMES` order) and bias."""

    weights: tuple[float, ...]
    bias: float

    @classmethod
    def from_mapping(cls, named: Mapping[str, float]) -> Calibration:
        """From `{feature name: weight, ..., "bias": b}`; missing features weigh 0."""
        return cls(tuple(float(named.get(n, 0.0)) for n in FEATURE_NAMES), float(named["bias"]))

    def as_mapping(self) -> dict[str, float]:
        """Named weights plus `bias`, rounded for reading."""
        named = {n: round(w, 3) for n, w in zip(FEATURE_NAMES, self.weights, strict=True)}
        return {**named, "bias": round(self.bias, 3)}

    def confidence(self, values: Sequence[float]) -> float:
        """Probability that the wording asks the same thing as the query."""
        z = float(np.dot(self.weights, values)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


# Fitted by `nlu.calibration_fit.fit_self_supervised` (800 sampled entries, seed 0, l2 1.0) on
# the government FAQ knowledge base ../shared/eval/gov_faq_kb.jsonl alone: no citizen query and no
# evaluation label was used (`govbot eval --kb ../shared/eval/gov_faq_kb.jsonl --queries ...
# --fit-calibration` prints these). Features at 0 were dropped by the sign constraint or
# carried no weight beyond the others.
DEFAULT = Calibration.from_mapping(
    {
        "char_cosine": 9.859,
        "query_rarest_miss": -0.783,
        "entry_rarest_miss": -4.455,
        "numbers_differ": -0.839,
        "negation_differs": -0.731,
        "exact": 1.344,
        "query_misses": -0.014,
        "bias": -6.275,
    }
)


def _newton(x: np.ndarray, y: np.ndarray, l2: float, iterations: int) -> np.ndarray:
    """Weights then bias of an L2-regularised logistic regression."""
    design = np.hstack([x, np.ones((x.shape[0], 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -40, 40)))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50
) -> Calibration:
    """L2-regularised logistic regression whose weights respect `EXPECTED_SIGNS`.

    Features whose fitted weight points the wrong way are dropped and the rest refitted, so the
    model stays monotone in every feature.
    """
    signs = np.asarray(EXPECTED_SIGNS, dtype=np.float64)
    active = np.ones(x.shape[1], dtype=bool)
    while True:
        beta = _newton(x[:, active], y, l2, iterations)
        weights = np.zeros(x.shape[1])
        weights[active] = beta[:-1]
        wrong = active & (weights * signs < 0)
        if not wrong.any():
            return Calibration(tuple(float(w) for w in weights), float(beta[-1]))
        active &= ~wrong
