"""Re-ranking features of a (query, wording) pair: what a bag of words misses.

Coverage of each side's content words, the rarest unmatched word on either side (the key term that
makes a near-miss: 退火车票 vs 买火车票), order-aware string similarity, exact match, length ratio,
and differing numbers or negation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from nlu.index import RetrievalIndex, Wording

FEATURE_NAMES = (
    "char_cosine",
    "bm25",
    "query_coverage",
    "entry_coverage",
    "query_rarest_miss",
    "entry_rarest_miss",
    "sequence_ratio",
    "numbers_differ",
    "negation_differs",
    "exact",
    "length_ratio",
    "query_misses",
    "entry_misses",
    "substitution",
)
# Direction each feature may push confidence: fitting must not learn that, say, an exact match
# is evidence against a match just because an evaluation set has duplicate entries.
EXPECTED_SIGNS = (1, 1, 1, 1, -1, -1, 1, -1, -1, 1, 1, -1, -1, -1)
_SEQUENCE_BOUND = 0.4
_NUMERALS = re.compile(r"[0-9零一二三四五六七八九十百千万两]+")
_NEGATIONS = ("不", "没", "未", "无", "非", "别")
# Words that contain a numeral character without naming a number.
_NOT_NUMBERS = frozenset(
    ["一下", "一个", "一些", "一般", "一样", "一起", "一直", "一定", "一点", "一次", "万一", "统一"]
)


@dataclass(frozen=True, slots=True)
class Query:
    """A citizen question in the index's canonical terms."""

    words: tuple[str, ...]
    content: frozenset[str]
    chars: str
    numerals: frozenset[str]
    negated: bool


def parse_query(index: RetrievalIndex, text: str) -> Query:
    """Segment and canonicalise `text` with the index's segmenter."""
    words = tuple(index.segmenter.words(text))
    content = frozenset(index.segmenter.content(words)) or frozenset(words)
    chars = "".join(words)
    return Query(words, content, chars, _numerals(words), _negated(chars))


def _coverage(
    own: frozenset[str], other: frozenset[str], other_chars: str, index: RetrievalIndex
) -> tuple[float, float, float]:
    """Idf-weighted share of `own` words found on the other side, the rarest one missing
    (relative to the rarest possible) and how many are missing.

    A word missing as a word but present inside the other side's characters counts half: the
    two sides segmented a compound differently.
    """
    total = matched = worst = 0.0
    missing = 0.0
    for word in own:
        # Single characters are mostly particles and light verbs; a compound carries the topic.
        weight = index.idf(word) * (0.5 if len(word) == 1 else 1.0)
        total += weight
        if word in other:
            matched += weight
        elif len(word) > 1 and word in other_chars:
            matched += weight * 0.5
            worst = max(worst, weight * 0.5)
            missing += 0.5
        else:
            worst = max(worst, weight)
            missing += 1.0
    if total == 0:
        return 0.0, 1.0, missing
    return matched / total, worst / index.max_idf, missing


def _numerals(words: Iterable[str]) -> frozenset[str]:
    """Numbers named in the words (科目一, 2015年), stopwords included: 一 alone is a stopword."""
    return frozenset(
        n for word in words if word not in _NOT_NUMBERS for n in _NUMERALS.findall(word)
    )


def _substitution(query: Query, wording: Wording) -> float:
    """One side's unmatched word swapped for another unmatched word sharing a character
    (科目四 vs 科目一, 退票 vs 买票): same frame, different key term."""
    right = {ch for w in wording.content - query.content if w not in query.chars for ch in w}
    if not right:
        return 0.0
    left = (w for w in query.content - wording.content if w not in wording.chars)
    return float(any(not right.isdisjoint(w) for w in left))


def _numbers_differ(left: frozenset[str], right: frozenset[str]) -> bool:
    """Both sides name numbers and they are not the same numbers."""
    return bool(left) and bool(right) and left != right


def _negated(chars: str) -> bool:
    return any(n in chars for n in _NEGATIONS)


def features(
    index: RetrievalIndex, query: Query, wording: Wording, bm25: float, cosine: float
) -> tuple[float, ...]:
    """Feature values in `FEATURE_NAMES` order."""
    query_cover, query_miss, query_misses = _coverage(
        query.content, wording.content, wording.chars, index
    )
    entry_cover, entry_miss, entry_misses = _coverage(
        wording.content, query.content, query.chars, index
    )
    shorter, longer = sorted((len(query.chars), len(wording.chars)))
    bound = 2 * shorter / (shorter + longer) if longer else 0.0
    # Very unequal lengths (a long letter vs a short question) cannot be similar strings; the
    # bound stands in for the quadratic exact ratio there.
    sequence = (
        SequenceMatcher(None, query.chars, wording.chars, autojunk=False).ratio()
        if bound >= _SEQUENCE_BOUND
        else bound
    )
    return (
        cosine,
        bm25,
        query_cover,
        entry_cover,
        query_miss,
        entry_miss,
        sequence,
        float(_numbers_differ(query.numerals, _numerals(wording.words))),
        float(query.negated != _negated(wording.chars)),
        float(query.chars == wording.chars),
        shorter / longer if longer else 0.0,
        min(query_misses, 3.0),
        min(entry_misses, 3.0),
        _substitution(query, wording),
    )
