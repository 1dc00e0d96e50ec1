"""Fit the confidence model without citizen queries: self-supervised pairs from the knowledge base.

`self_supervised_pairs` turns the knowledge base into labelled (query, wording) pairs:

- positives: each sampled entry's question (or an alternate wording) perturbed the way citizens
  reword things (one to three of: a synonym swapped, another question word, an opening or
  closing filler added, a particle or the commonest word dropped, the sentence rotated, a
  character lost) is a match for that entry and a non-match for every other retrieved entry;
- near misses: the entry's question asked of the index with the entry held out gives only
  non-matches (the other entries it resembles); the question with one content word (rarer words
  more likely) swapped for another knowledge-base word of the same length, or one number changed
  (same frame, different matter: 补办 vs 挂失, 科目一 vs 科目四), no longer matches the entry; nor
  does the question without its rarest content word (丢了怎么补办 is too vague to pick
  身份证丢了怎么补办: a choice, not an answer).

`fit_self_supervised` fits the sign-constrained logistic model on those pairs; `DEFAULT` in
`nlu.calibration` was produced that way. `cross_validate` keeps the supervised diagnostic: it fits
on labelled query rows with query-level folds, to compare against (never to set) the defaults.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nlu.builtin import BuiltinNlu
from nlu.calibration import Calibration, fit_logistic
from nlu.decision import Decision
from nlu.evaluation import run_queries, summarize
from nlu.features import parse_query
from nlu.index import RetrievalIndex
from nlu.ranking import retrieve
from nlu.segment import STOPWORDS

QueryRow = Mapping[str, Any]
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]

# Interchangeable question words and light verbs citizens use for the same question.
_REWORDINGS: tuple[tuple[str, ...], ...] = (
    ("怎么", "如何", "怎样", "咋"),
    ("怎么办", "如何处理", "怎么处理"),
    ("可以", "能", "能否", "能不能", "可不可以"),
    ("需要", "要", "得"),
    ("哪里", "哪儿", "什么地方", "在哪"),
    ("什么", "啥", "哪些"),
    ("多少", "几"),
    ("是否", "是不是", "有没有"),
    ("办理", "办"),
    ("查询", "查"),
)
_NUMBER = re.compile(r"[0-9零一二三四五六七八九十两]+")
_NUMBER_CHOICES = ("一", "二", "三", "四", "五", "1", "2", "3", "10", "2020")
_OPENINGS = ("请问", "你好", "您好请问", "我想问一下", "咨询一下", "我想知道")
_ENDINGS = ("吗", "呢", "啊", "呀", "谢谢")


_SWAP = {word: tuple(w for w in group if w != word) for group in _REWORDINGS for word in group}


class _Perturber:
    """Citizen-like rewordings of a knowledge-base question (meaning kept)."""

    def __init__(self, index: RetrievalIndex, rng: random.Random) -> None:
        self.index = index
        self.rng = rng
        groups: dict[str, list[str]] = defaultdict(list)
        for variant, canonical in index.segmenter.synonyms.items():
            groups[canonical].append(variant)
        self.synonyms = {v: [w for w in g if w != v] for g in groups.values() for v in g}

    def _synonym(self, words: list[str]) -> list[str] | None:
        spots = [i for i, w in enumerate(words) if self.synonyms.get(w)]
        if not spots:
            return None
        i = self.rng.choice(spots)
        return [*words[:i], self.rng.choice(self.synonyms[words[i]]), *words[i + 1 :]]

    def _reword(self, words: list[str]) -> list[str] | None:
        spots = [i for i, w in enumerate(words) if w in _SWAP]
        if not spots:
            return None
        i = self.rng.choice(spots)
        return [*words[:i], self.rng.choice(_SWAP[words[i]]), *words[i + 1 :]]

    def _filler(self, words: list[str]) -> list[str] | None:
        if self.rng.random() < 0.5:
            return [self.rng.choice(_OPENINGS), *words]
        return [*words, self.rng.choice(_ENDINGS)]

    def _drop_light(self, words: list[str]) -> list[str] | None:
        # A particle, or the most common content word, can go without changing the matter.
        spots = [i for i, w in enumerate(words) if w in STOPWORDS or w in _SWAP]
        if len(words) < 3:
            return None
        if not spots:
            spots = [min(range(len(words)), key=lambda i: self.index.idf(words[i]))]
        i = self.rng.choice(spots)
        return [*words[:i], *words[i + 1 :]]

    def _rotate(self, words: list[str]) -> list[str] | None:
        if len(words) < 3:
            return None
        cut = self.rng.randrange(1, len(words))
        return [*words[cut:], *words[:cut]]

    def _typo(self, words: list[str]) -> list[str] | None:
        spots = [i for i, w in enumerate(words) if len(w) > 2]
        if not spots:
            return None
        i = self.rng.choice(spots)
        word = words[i]
        j = self.rng.randrange(len(word))
        return [*words[:i], word[:j] + word[j + 1 :], *words[i + 1 :]]

    def paraphrase(self, text: str) -> str | None:
        """`text` reworded by one to three random operations; None when nothing changed."""
        words = self.index.segmenter.surface_words(text)
        if not words:
            return None
        original = "".join(words)
        operations = [
            self._synonym,
            self._reword,
            self._filler,
            self._drop_light,
            self._rotate,
            self._typo,
        ]
        for operation in self.rng.sample(operations, self.rng.randint(1, 3)):
            changed = operation(words)
            if changed:
                words = changed
        result = "".join(words)
        return result if result != original else None

    def drop_key_term(self, text: str) -> str | None:
        """`text` without its rarest content word: too vague to pick the entry (丢了怎么补办)."""
        words = self.index.segmenter.words(text)
        content = [i for i, w in enumerate(words) if len(w) > 1 and w not in STOPWORDS]
        if len(content) < 2:
            return None
        i = max(content, key=lambda k: self.index.idf(words[k]))
        return "".join([*words[:i], *words[i + 1 :]])

    def swap_key_term(self, text: str, vocabulary: Sequence[Sequence[str]]) -> str | None:
        """`text` with one content word (a rare one more likely) replaced by another
        knowledge-base word of the same length, or one number changed: another matter."""
        words = self.index.segmenter.words(text)
        numbers = [i for i, w in enumerate(words) if _NUMBER.fullmatch(w)]
        if numbers and self.rng.random() < 0.3:
            i = self.rng.choice(numbers)
            other = self.rng.choice([n for n in _NUMBER_CHOICES if n != words[i]])
            return "".join([*words[:i], other, *words[i + 1 :]])
        content = [i for i, w in enumerate(words) if w not in STOPWORDS and w not in _SWAP]
        if not content:
            return None
        weights = [self.index.idf(words[i]) for i in content]
        i = self.rng.choices(content, weights=weights)[0]
        same_length = vocabulary[min(len(words[i]), len(vocabulary) - 1)]
        if not same_length:
            return None
        replacement = self.rng.choice(same_length)
        if replacement == words[i]:
            return None
        return "".join([*words[:i], replacement, *words[i + 1 :]])


def self_supervised_pairs(
    index: RetrievalIndex, top_k: int, *, entries: int = 800, seed: int = 0
) -> Pairs:
    """Features, labels and query numbers of KB-derived (query, retrieved wording) pairs."""
    rng = random.Random(seed)
    perturber = _Perturber(index, rng)
    count = len(index.items)
    sample = rng.sample(range(count), min(entries, count))
    by_length: list[set[str]] = [set() for _ in range(5)]
    for words in index.question_words:
        for w in words:
            if w not in STOPWORDS and w not in _SWAP and not _NUMBER.fullmatch(w):
                by_length[min(len(w), 4)].add(w)
    vocabulary = [sorted(words) for words in by_length]
    keys = index.question_keys
    x: list[tuple[float, ...]] = []
    y: list[float] = []
    groups: list[int] = []
    queries = [0]

    def add(text: str, positive: int | None, held_out: int | None, only: int | None) -> None:
        queries[0] += 1
        number = queries[0]
        query = parse_query(index, text)
        for row, values in retrieve(index, query, top_k):
            item = index.wordings[row].item
            if held_out is not None and (item == held_out or keys[item] == keys[held_out]):
                continue
            if only is not None and item != only:
                continue
            match = positive is not None and (item == positive or keys[item] == keys[positive])
            x.append(values)
            y.append(float(match))
            groups.append(number)

    for item in sample:
        entry = index.items[item]
        for text in rng.sample((entry.question, *entry.alternates), 1) * 2:
            reworded = perturber.paraphrase(text)
            if reworded:
                add(reworded, item, None, None)
        add(entry.question, None, item, None)
        swapped = perturber.swap_key_term(entry.question, vocabulary)
        if swapped:
            add(swapped, None, None, item)
        vague = perturber.drop_key_term(entry.question)
        if vague:
            add(vague, None, None, item)
    return np.asarray(x), np.asarray(y), np.asarray(groups)


def fit_self_supervised(
    engine: BuiltinNlu, *, entries: int = 800, seed: int = 0, l2: float = 1.0
) -> Calibration:
    """A calibration fitted on pairs derived from the engine's loaded knowledge base only."""
    x, y, _ = self_supervised_pairs(
        engine.index, engine.settings.retrieve_top_k, entries=entries, seed=seed
    )
    return fit_logistic(x, y, l2=l2)


def training_pairs(index: RetrievalIndex, rows: Sequence[QueryRow], top_k: int) -> Pairs:
    """Features, labels and query numbers of every (labelled query, retrieved wording) pair."""
    key_of = {item.code: key for item, key in zip(index.items, index.question_keys, strict=True)}
    x: list[tuple[float, ...]] = []
    y: list[float] = []
    groups: list[int] = []
    for number, row in enumerate(rows):
        expected = row.get("expected_id")
        expected_key = key_of.get(expected) if expected else None
        for wording_row, values in retrieve(index, parse_query(index, str(row["query"])), top_k):
            item = index.wordings[wording_row].item
            x.append(values)
            y.append(float(expected_key is not None and index.question_keys[item] == expected_key))
            groups.append(number)
    return np.asarray(x), np.asarray(y), np.asarray(groups)


def cross_validate(
    engine: BuiltinNlu, rows: Sequence[QueryRow], *, folds: int = 5, l2: float = 1.0, seed: int = 0
) -> dict[str, Any]:
    """Supervised reference: each fold decided with weights fitted on the other folds' rows.

    A diagnostic of what labelled citizen queries would buy over the self-supervised defaults;
    the defaults are never set from it.
    """
    x, y, groups = training_pairs(engine.index, rows, engine.settings.retrieve_top_k)
    fold_of = np.random.default_rng(seed).permutation(len(rows)) % folds
    original = engine.calibration
    decisions: list[Decision | None] = [None] * len(rows)
    latencies: list[float] = []
    try:
        for fold in range(folds):
            engine.calibration = fit_logistic(
                x[fold_of[groups] != fold], y[fold_of[groups] != fold], l2=l2
            )
            positions = [n for n in range(len(rows)) if fold_of[n] == fold]
            fold_decisions, fold_latencies = run_queries(engine, [rows[n] for n in positions])
            for n, decision in zip(positions, fold_decisions, strict=True):
                decisions[n] = decision
            latencies.extend(fold_latencies)
    finally:
        engine.calibration = original
    return summarize(
        f"{engine.name} (cross-validated)", rows, [d for d in decisions if d], latencies
    )
