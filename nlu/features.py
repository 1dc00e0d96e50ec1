"""What the decision model sees about a message and its best candidate entry.

Knowledge-base-agnostic by construction: scores, margins, shares and counts, never entry ids or
words picked from particular questions. `primary_*` is the ranking score (cosine of the sentence
vectors in semantic mode, fused BM25 + character cosine in lexical mode); the rest is lexical
evidence a sentence vector blurs: informative words of the message that the entry never mentions
(a near miss: 广州结婚登记 vs 北京's entry), the kind of operation asked (cancel vs apply), numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nlu.index import RetrievalIndex
from nlu.normalize import match_form
from nlu.service_actions import action_kinds
from nlu.snapshot import KbItem

FEATURE_NAMES = (
    "primary_top",
    "primary_margin",
    "primary_spread",
    "char_cosine",
    "bm25",
    "lexical_first",
    "query_uncovered",
    "query_uncovered_answer",
    "entry_uncovered",
    "rarest_miss",
    "query_length",
    "actions_missing",
    "actions_extra",
    "actions_missing_answer",
    "numbers_differ",
    "lexical_margin",
    "length_ratio",
    "question_kind_missing",
    "question_kind_extra",
    "answer_margin",
)
# How each feature may move the probability that the candidate is right: +1 up, -1 down, 0 free.
# The fitted model is held to these where the direction holds for any knowledge base: a closer
# or clearer-leading candidate, fewer of the message's words (or of the entry's) left unmatched,
# no operation, number or question kind left unmatched. Held to them, a model fitted on one
# knowledge base without alternate wordings behaves on one with them (an alternate matched word
# for word scores higher than any paraphrase seen in training).
MONOTONE = (1, 1, 1, 1, 1, 0, -1, 0, -1, 0, 0, -1, -1, -1, -1, 0, 0, -1, -1, 1)
# The spread is measured against the candidate this far down the ranking.
SPREAD_RANK = 10
# What a question asks for; a paraphrase keeps it (怎么办 → 如何办理), a near miss may not
# (去哪里办 vs 要多少钱).
_QUESTION_KINDS = {
    "amount": re.compile(r"多少|几[个天年月次岁号]|多长|多久|多大|多高|多远|比例|标准"),
    "place": re.compile(r"哪里|哪儿|哪兒|在哪|何处|什么地方|哪个部门|哪些部门|找谁|去哪"),
    "time": re.compile(r"什么时候|何时|哪天|几号|几点|期限|时间"),
    "whether": re.compile(r"是否|能否|能不能|可不可以|可以吗|能吗|行不行|有没有|要不要|需不需要"),
    "why": re.compile(r"为什么|为何|怎么回事"),
    "what": re.compile(r"什么是|是什么|啥是|是啥|什么意思|指什么|含义|定义"),
    "which": re.compile(r"哪些|哪种|哪类|什么样"),
}
_NUMERALS = re.compile(r"[0-9零一二三四五六七八九十百千万两]+")
# Words that contain a numeral character without naming a number.
_NOT_NUMBERS = frozenset(
    ["一下", "一个", "一些", "一般", "一样", "一起", "一直", "一定", "一点", "一次", "万一", "统一"]
)


@dataclass(frozen=True, slots=True)
class Query:
    """A citizen message in the index's canonical words (`text` as it was parsed)."""

    text: str
    words: tuple[str, ...]
    content: frozenset[str]
    chars: str
    numerals: frozenset[str]
    actions: frozenset[str]
    kinds: frozenset[str]


def question_kinds(form: str) -> frozenset[str]:
    """What `form` (text in `match_form`) asks for: amount, place, time, whether, why, …"""
    return frozenset(kind for kind, pattern in _QUESTION_KINDS.items() if pattern.search(form))


def _numerals(words: Iterable[str]) -> frozenset[str]:
    """Numbers named in the words (科目一, 2015年)."""
    return frozenset(
        n for word in words if word not in _NOT_NUMBERS for n in _NUMERALS.findall(word)
    )


def parse_query(index: RetrievalIndex, text: str) -> Query:
    """Segment and canonicalise `text` with the index's segmenter."""
    words = tuple(index.segmenter.words(text))
    content = frozenset(index.segmenter.content(words)) or frozenset(words)
    chars = "".join(words)
    form = match_form(text)
    return Query(
        text, words, content, chars, _numerals(words), action_kinds(form), question_kinds(form)
    )


@dataclass(frozen=True, slots=True)
class EntryText:
    """An entry's texts in matching form, computed once per entry when first needed."""

    wordings: str
    answer: str
    question_content: frozenset[str]
    question_chars: int
    numerals: frozenset[str]
    # Operations and question kinds named by any wording (what the entry can answer) and by its
    # question alone (what it is about: alternates add ways of asking, not more topics).
    actions: frozenset[str]
    question_actions: frozenset[str]
    answer_actions: frozenset[str]
    kinds: frozenset[str]
    question_kinds: frozenset[str]


def entry_text(index: RetrievalIndex, item: KbItem) -> EntryText:
    """The matching forms of `item`'s wordings and answer."""
    wordings = [index.segmenter.words(t) for t in (item.question, *item.alternates)]
    question = wordings[0] if wordings else []
    raw = match_form("".join((item.question, *item.alternates)))
    answer = match_form(item.answer)
    return EntryText(
        wordings="".join("".join(w) for w in wordings) + raw,
        answer=answer,
        question_content=frozenset(index.segmenter.content(question)),
        question_chars=len("".join(question)),
        numerals=_numerals(w for words in wordings for w in words),
        actions=action_kinds(raw),
        question_actions=action_kinds(match_form(item.question)),
        answer_actions=action_kinds(answer),
        kinds=question_kinds(raw),
        question_kinds=question_kinds(match_form(item.question)),
    )


def _weight(index: RetrievalIndex, word: str) -> float:
    # Single characters are mostly particles and light verbs; a compound carries the topic.
    return index.idf(word) * (0.5 if len(word) == 1 else 1.0)


def _uncovered(index: RetrievalIndex, query: Query, entry: EntryText) -> tuple[float, float, float]:
    """Idf-weighted share of the message's words absent from the entry's wordings, the same
    absent from its answer too, and the rarest absent word (relative to the rarest possible)."""
    total = missing = missing_everywhere = rarest = 0.0
    for word in query.content:
        weight = _weight(index, word)
        total += weight
        if word not in entry.wordings:
            missing += weight
            rarest = max(rarest, weight)
            if word not in entry.answer:
                missing_everywhere += weight
    if total == 0:
        return 1.0, 1.0, 1.0
    return missing / total, missing_everywhere / total, rarest / index.max_idf


def _entry_uncovered(index: RetrievalIndex, query: Query, entry: EntryText) -> float:
    """Idf-weighted share of the entry question's words absent from the message."""
    total = missing = 0.0
    for word in entry.question_content:
        weight = _weight(index, word)
        total += weight
        if word not in query.chars:
            missing += weight
    return missing / total if total else 0.0


def features(
    index: RetrievalIndex,
    query: Query,
    entry: EntryText,
    primary: np.ndarray,
    char: np.ndarray,
    *,
    bm25: float,
    lexical_first: bool,
    answer_cosines: np.ndarray,
) -> np.ndarray:
    """Feature vector (in `FEATURE_NAMES` order) of the best candidate.

    `primary` and `char` hold the ranking scores and character cosines of the distinct
    candidates, best first; the best one is the candidate described by `entry`, `bm25` and
    `lexical_first`. `answer_cosines` holds the cosines of the message with the first candidates'
    passages (question and start of answer), empty in lexical mode.
    """
    char_cosine = float(char[0]) if len(char) else 0.0
    top = float(primary[0]) if len(primary) else 0.0
    second = float(primary[1]) if len(primary) > 1 else 0.0
    far = float(primary[min(SPREAD_RANK, len(primary)) - 1]) if len(primary) else 0.0
    uncovered, uncovered_answer, rarest = _uncovered(index, query, entry)
    return np.array(
        [
            top,
            top - second,
            top - far,
            char_cosine,
            bm25,
            float(lexical_first),
            uncovered,
            uncovered_answer,
            _entry_uncovered(index, query, entry),
            rarest,
            math.log1p(len(query.chars)),
            len(query.actions - entry.actions),
            len(entry.question_actions - query.actions),
            len(query.actions - entry.actions - entry.answer_actions),
            float(
                bool(query.numerals) and bool(entry.numerals) and query.numerals != entry.numerals
            ),
            char_cosine - float(char[1:].max(initial=0.0)),
            math.log((len(query.chars) + 1) / (entry.question_chars + 1)),
            len(query.kinds - entry.kinds),
            len(entry.question_kinds - query.kinds),
            # How much closer the message is to the best entry's answer than to the others':
            # relative, since how close a message comes to answers depends on how a knowledge
            # base writes them (a model fitted on absolute cosines referred away 12 % of the
            # sample county's questions, one fitted on this lead none).
            float(answer_cosines[0] - answer_cosines[1:].max(initial=0.0))
            if len(answer_cosines)
            else 0.0,
        ],
        dtype=np.float64,
    )
