"""The trained department classifier: which department handles a citizen's message.

Learned from labelled examples (imported 12345 history, transfers by staff) plus each
department's remit as a prior example, so every department is known even before it has
history. Features: the encoder's sentence vector of the message (weighted twice), its character
n-gram TF-IDF (robust to the words a county's citizens use that no remit names) and its jieba word
uni- and bigram TF-IDF (whole words and word pairs: 路灯 坏了, 夜间 施工); a class-balanced logistic
regression turns them into a probability per department. Versions are stored under a directory
as skops estimators beside a JSON card with the cross-validated accuracy; the newest is loaded.
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

import jieba
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
# Regularisation, block weights and n-gram ranges read off aggregate 5-fold accuracy on 880 real
# citizen letters: characters + vectors (C 4) 0.725; class-balanced 0.732; with the word block
# and the vector block weighted twice 0.751 (C 4), 0.752 (C 3), 0.749 (C 6); vector weight 1.5
# 0.734, 2.5 0.744. Characters alone 0.70, words alone 0.67, vectors alone 0.73.
_C = 3.0
_VECTOR_WEIGHT = 2.0
_NGRAMS = (1, 3)
_WORD_NGRAMS = (1, 2)
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


def _word_vectorizer(min_df: int) -> TfidfVectorizer:
    # Texts arrive segmented (`_segmented`): words separated by spaces, so the stored vectorizer
    # is plain scikit-learn (no custom tokenizer to trust when loading).
    return TfidfVectorizer(
        token_pattern=r"\S+",
        lowercase=False,
        ngram_range=_WORD_NGRAMS,
        sublinear_tf=True,
        min_df=min_df,
    )


def _segmented(text: str) -> str:
    """The message's jieba words separated by spaces (mask stars and blanks dropped)."""
    return " ".join(w for w in jieba.lcut(text) if w.strip() and w.strip("*"))


def _features(
    tfidf: TfidfVectorizer,
    words: TfidfVectorizer | None,
    vector_weight: float,
    texts: Sequence[str],
    vectors: np.ndarray,
) -> spmatrix:
    blocks = [tfidf.transform(texts)]
    if words is not None:
        blocks.append(words.transform([_segmented(t) for t in texts]))
    blocks.append(csr_matrix(vectors * vector_weight))
    return hstack(blocks).tocsr()


class DepartmentModel:
    """A fitted classifier with its card (version, when, on what, cross-validated accuracy).

    `words` is None for a version stored before the word block existed (characters and a vector
    weighted once); such a version still loads and routes as it was trained."""

    def __init__(
        self,
        tfidf: TfidfVectorizer,
        classifier: LogisticRegression,
        card: dict[str, Any],
        *,
        words: TfidfVectorizer | None = None,
        vector_weight: float = 1.0,
    ) -> None:
        self.tfidf = tfidf
        self.words = words
        self.vector_weight = vector_weight
        self.classifier = classifier
        self.card = card
        self.departments: tuple[str, ...] = tuple(str(c) for c in classifier.classes_)
        # The coefficients of each feature block, so one message is scored block by block
        # (the same softmax as predict_proba, without stacking a sparse row per message).
        coef = np.asarray(classifier.coef_, dtype=np.float64)
        chars = len(tfidf.vocabulary_)
        word_count = len(words.vocabulary_) if words is not None else 0
        self._char_coef = np.ascontiguousarray(coef[:, :chars].T)
        self._word_coef = np.ascontiguousarray(coef[:, chars : chars + word_count].T)
        self._vector_coef = np.ascontiguousarray(coef[:, chars + word_count :])
        self._intercept = np.asarray(classifier.intercept_, dtype=np.float64)

    def probabilities(self, text: str, vector: np.ndarray | None) -> dict[str, float]:
        """Probability of each department for a message; without a vector (lexical mode) the
        vector part of the features is zero."""
        z = self._intercept + self.tfidf.transform([text]) @ self._char_coef
        if self.words is not None:
            z = z + self.words.transform([_segmented(text)]) @ self._word_coef
        if vector is not None:
            z = z + self._vector_coef @ (vector.astype(np.float64) * self.vector_weight)
        z = np.asarray(z).ravel()
        if len(z) == 1:  # two departments: one logit for the second
            z = np.array([0.0, z[0]])
        p = np.exp(z - z.max())
        p /= p.sum()
        return dict(zip(self.departments, p.tolist(), strict=True))


def fit(examples: Sequence[Example], priors: Sequence[Example] = ()) -> DepartmentModel:
    """Fit on `examples` plus `priors` (remits as examples); the card is filled in by the caller."""
    rows = [*examples, *priors]
    if len({e.department for e in rows}) < 2:
        raise ValueError("at least two departments are needed to train")
    # With few examples every n-gram counts; with history, rare ones are noise.
    min_df = 2 if len(rows) >= 200 else 1
    texts = [e.text for e in rows]
    tfidf = _vectorizer(min_df).fit(texts)
    words = _word_vectorizer(min_df).fit([_segmented(t) for t in texts])
    # Balanced: a department with less history is not outvoted by the busiest ones.
    classifier = LogisticRegression(C=_C, max_iter=3000, class_weight="balanced")
    x = _features(tfidf, words, _VECTOR_WEIGHT, texts, np.stack([e.vector for e in rows]))
    classifier.fit(x, [e.department for e in rows], sample_weight=[e.weight for e in rows])
    return DepartmentModel(tfidf, classifier, {}, words=words, vector_weight=_VECTOR_WEIGHT)


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
    parts = {
        "tfidf": model.tfidf,
        "words": model.words,
        "vector_weight": model.vector_weight,
        "classifier": model.classifier,
    }
    skops.io.dump(parts, estimators)
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
    return DepartmentModel(
        parts["tfidf"],
        parts["classifier"],
        card,
        words=parts.get("words"),
        vector_weight=float(parts.get("vector_weight", 1.0)),
    )


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
