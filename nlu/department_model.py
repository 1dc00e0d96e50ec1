"""The trained department classifier: which department handles a citizen's message.

Learned from labelled examples (imported 12345 history, transfers by staff) plus each
department's remit as a prior example, so every department is known even before it has
history. Features: the encoder's sentence vector of the message and its character n-gram TF-IDF
(robust to the words a county's citizens use that no remit names); a logistic regression turns
them into a probability per department. Versions are stored under a directory as skops
estimators beside a JSON card with the cross-validated accuracy; the newest is loaded.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack, spmatrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from nlu.privacy import without_masked_numbers
from nlu.routing import CLASSIFIER_MARGIN
from nlu.snapshot import Directory
from nlu.vectors import Embedder

DEFAULT_ROUTING_DIR = Path(__file__).resolve().parent.parent / "var" / "routing"
# Regularisation and n-gram range read off aggregate 5-fold accuracy on real citizen letters
# (C 1 / 4 / 10 within a point of each other; characters alone 0.69, vectors alone 0.73).
_C = 4.0
_NGRAMS = (1, 3)
# Fixed seed of the stratified folds, so a re-run reports the same figures.
CV_SEED = 12
_VERSION_FILE = re.compile(r"^department_model-v(\d+)\.json$")
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


class DepartmentModelError(Exception):
    """A stored department model is unreadable or holds untrusted types."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message: its (masked) text, sentence vector, department and weight."""

    text: str
    vector: np.ndarray
    department: str
    weight: float = 1.0


def _vectorizer(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=_NGRAMS, sublinear_tf=True, min_df=min_df
    )


def _features(tfidf: TfidfVectorizer, texts: Sequence[str], vectors: np.ndarray) -> spmatrix:
    return hstack([tfidf.transform(texts), csr_matrix(vectors)]).tocsr()


class DepartmentModel:
    """A fitted classifier with its card (version, when, on what, cross-validated accuracy)."""

    def __init__(
        self, tfidf: TfidfVectorizer, classifier: LogisticRegression, card: dict[str, Any]
    ) -> None:
        self.tfidf = tfidf
        self.classifier = classifier
        self.card = card
        self.departments: tuple[str, ...] = tuple(str(c) for c in classifier.classes_)

    def probabilities(self, text: str, vector: np.ndarray | None) -> dict[str, float]:
        """Probability of each department for a message; without a vector (lexical mode) the
        vector part of the features is zero."""
        dim = self.classifier.coef_.shape[1] - len(self.tfidf.vocabulary_)
        row = np.zeros((1, dim), dtype=np.float32) if vector is None else vector.reshape(1, -1)
        p = self.classifier.predict_proba(_features(self.tfidf, [text], row))[0]
        return dict(zip(self.departments, p.tolist(), strict=True))


def fit(examples: Sequence[Example], priors: Sequence[Example] = ()) -> DepartmentModel:
    """Fit on `examples` plus `priors` (remits as examples); the card is filled in by the caller."""
    rows = [*examples, *priors]
    if len({e.department for e in rows}) < 2:
        raise ValueError("at least two departments are needed to train")
    # With few examples every n-gram counts; with history, rare ones are noise.
    tfidf = _vectorizer(min_df=2 if len(rows) >= 200 else 1)
    tfidf.fit([e.text for e in rows])
    x = _features(tfidf, [e.text for e in rows], np.stack([e.vector for e in rows]))
    classifier = LogisticRegression(C=_C, max_iter=2000)
    classifier.fit(x, [e.department for e in rows], sample_weight=[e.weight for e in rows])
    return DepartmentModel(tfidf, classifier, {})


def cross_validate(
    examples: Sequence[Example], priors: Sequence[Example] = (), *, folds: int = 5
) -> dict[str, Any]:
    """Stratified `folds`-fold accuracy (fixed seed): fit on the other folds plus `priors`,
    test on each fold. Reports the mean, each fold, accuracy per department,
    `confident_wrong_rate` (one department named, not two, and it is wrong) and the confusion
    matrix (`labels`; `counts[i][j]`: messages of labels[i] sent to labels[j])."""
    labels = np.array([e.department for e in examples])
    counts = Counter(str(d) for d in labels)
    folds = max(2, min(folds, min(counts.values())))
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=CV_SEED)
    fold_accuracy: list[float] = []
    right = np.zeros(len(examples), dtype=bool)
    confident_wrong = 0
    names = sorted(set(counts) | {p.department for p in priors})
    position = {d: i for i, d in enumerate(names)}
    confusion = np.zeros((len(names), len(names)), dtype=int)
    for train, test in split.split(np.zeros(len(labels)), labels):
        model = fit([examples[i] for i in train], priors)
        for i in test:
            p = model.probabilities(examples[i].text, examples[i].vector)
            ranked = sorted(p.items(), key=lambda kv: kv[1], reverse=True)
            right[i] = ranked[0][0] == labels[i]
            confusion[position[str(labels[i])], position[ranked[0][0]]] += 1
            close = len(ranked) > 1 and ranked[0][1] - ranked[1][1] < CLASSIFIER_MARGIN
            confident_wrong += not right[i] and not close
        fold_accuracy.append(round(float(right[test].mean()), 4))
    return {
        "folds": folds,
        "seed": CV_SEED,
        "n": len(examples),
        "mean": round(float(np.mean(fold_accuracy)), 4),
        "per_fold": fold_accuracy,
        "per_department": {d: round(float(right[labels == d].mean()), 4) for d in sorted(counts)},
        "confident_wrong_rate": round(confident_wrong / len(examples), 4),
        "confusion": {"labels": names, "counts": confusion.tolist()},
    }


def _version(path: Path) -> int:
    match = _VERSION_FILE.match(path.name)
    return int(match.group(1)) if match else 0


def save(model: DepartmentModel, directory: Path, *, now: datetime) -> Path:
    """Write `model` as the next version under `directory`; the card path."""
    import skops.io

    directory.mkdir(parents=True, exist_ok=True)
    version = max((_version(p) for p in directory.glob("department_model-v*.json")), default=0)
    version += 1
    estimators = directory / f"department_model-v{version}.skops"
    skops.io.dump({"tfidf": model.tfidf, "classifier": model.classifier}, estimators)
    card = {
        **model.card,
        "version": version,
        "trained_at": now.isoformat(),
        "departments": list(model.departments),
        "estimators": estimators.name,
    }
    path = directory / f"department_model-v{version}.json"
    path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    model.card = card
    return path


def newest_card(directory: Path) -> Path | None:
    """The card of the newest stored version, or None when none is stored."""
    cards = [p for p in directory.glob("department_model-v*.json") if _version(p)]
    return max(cards, key=_version) if cards else None


def load(path: Path) -> DepartmentModel:
    """The model whose card is at `path`; DepartmentModelError when unusable."""
    import skops.io

    try:
        card = json.loads(path.read_text(encoding="utf-8"))
        estimators_path = path.parent / str(card["estimators"])
        untrusted = skops.io.get_untrusted_types(file=estimators_path)
        refused = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
        if refused:
            raise DepartmentModelError(f"{estimators_path.name} holds untrusted types: {refused}")
        parts = skops.io.load(estimators_path, trusted=untrusted)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DepartmentModelError(f"cannot read department model {path}: {exc}") from None
    return DepartmentModel(parts["tfidf"], parts["classifier"], card)


def remit_priors(directory: Directory, embedder: Embedder) -> list[Example]:
    """Each department's remit as an example of its own (its passage vector, cached)."""
    departments = directory.departments
    vectors = embedder.passages([d.remit for d in departments])
    return [
        Example(d.remit, vector, d.name) for d, vector in zip(departments, vectors, strict=True)
    ]


def labelled(texts: Sequence[str], departments: Sequence[str], embedder: Embedder) -> list[Example]:
    """Examples of (masked) message texts, their vectors encoded as the engine encodes a
    message (the text without its masked numbers), through the vector store."""
    vectors = embedder.messages([without_masked_numbers(t) for t in texts])
    return [
        Example(text, vector, department)
        for text, vector, department in zip(texts, vectors, departments, strict=True)
    ]


# Fewest examples per department worth learning from: five make a stratified five-fold split.
MIN_EXAMPLES_PER_DEPARTMENT = 5


def too_few_examples(departments: Sequence[str]) -> dict[str, int]:
    """Departments with examples but fewer than MIN_EXAMPLES_PER_DEPARTMENT (name → count); a
    model fitted on them would pull every message to the few departments it has seen."""
    counts = Counter(departments)
    return {d: n for d, n in counts.items() if n < MIN_EXAMPLES_PER_DEPARTMENT}


def train(
    examples: Sequence[Example],
    priors: Sequence[Example],
    *,
    directory: Path,
    now: datetime,
    card: dict[str, Any],
) -> tuple[DepartmentModel, Path]:
    """Cross-validate (when every department has two examples), fit on everything, and store
    the next version with its figures; the model and its card's path."""
    counts = Counter(e.department for e in examples)
    figures = cross_validate(examples, priors) if min(counts.values(), default=0) >= 2 else None
    model = fit(examples, priors)
    model.card = {**card, "examples": len(examples), "cross_validated": figures}
    return model, save(model, directory, now=now)
