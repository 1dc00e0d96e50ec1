"""Questions the bot could not answer (collected by `knowledge_base.unanswered`), grouped by
similarity.

Wordings are compared in their matching form (`nlu.normalize.match_form`) and grouped greedily
by character-bigram Jaccard similarity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from knowledge_base.unanswered import Asked
from nlu.normalize import match_form

DECISION_NAMES = {
    "fallback": "未找到答案",
    "route": "转介其他部门",
    "clarify": "需要澄清",
    "hotline_transfer": "热线来电转接",
}
SIMILARITY = 0.5


@dataclass(slots=True)
class Wording:
    """One distinct wording (by matching form) and how often it was asked."""

    form: str
    text: str
    count: int = 0


@dataclass(slots=True)
class QuestionGroup:
    """Similar unanswered questions."""

    wordings: list[Wording] = field(default_factory=list)
    decisions: Counter[str] = field(default_factory=Counter)
    departments: Counter[str] = field(default_factory=Counter)
    last_at: datetime | None = None

    @property
    def count(self) -> int:
        """How many times any of the wordings was asked."""
        return sum(w.count for w in self.wordings)

    @property
    def text(self) -> str:
        """The most frequent wording stands for the group."""
        return self.wordings[0].text


def bigrams(form: str) -> frozenset[str]:
    """Character bigrams (a one-character text is its own bigram)."""
    return frozenset(form[i : i + 2] for i in range(len(form) - 1)) or frozenset({form})


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two bigram sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def group_questions(asked: list[Asked], dismissed: set[str]) -> list[QuestionGroup]:
    """Groups of similar wordings, the most asked first; dismissed wordings are left out."""
    wordings: dict[str, Wording] = {}
    for item in asked:
        form = match_form(item.text)
        if not form or form in dismissed:
            continue
        wordings.setdefault(form, Wording(form, item.text)).count += 1
    groups: list[tuple[frozenset[str], QuestionGroup]] = []
    by_form: dict[str, QuestionGroup] = {}
    for wording in sorted(wordings.values(), key=lambda w: (-w.count, w.form)):
        grams = bigrams(wording.form)
        home = next((g for rep, g in groups if jaccard(rep, grams) >= SIMILARITY), None)
        if home is None:
            home = QuestionGroup()
            groups.append((grams, home))
        home.wordings.append(wording)
        by_form[wording.form] = home
    for item in asked:
        group = by_form.get(match_form(item.text))
        if group is not None:
            group.decisions[item.decision] += 1
            group.departments[item.department] += 1
            group.last_at = max(group.last_at or item.at, item.at)
    return sorted((g for _, g in groups), key=lambda g: -g.count)


@dataclass(frozen=True, slots=True)
class EntryChoice:
    """A published entry a wording might be added to, with the bigrams of its wordings."""

    code: str
    question: str
    grams: tuple[frozenset[str], ...]


def entry_choice(code: str, question: str, alternates: list[str]) -> EntryChoice:
    """An entry prepared for comparison with unanswered wordings."""
    forms = [match_form(text) for text in (question, *alternates)]
    return EntryChoice(code, question, tuple(bigrams(f) for f in forms if f))


def closest_entries(text: str, choices: list[EntryChoice], limit: int = 3) -> list[EntryChoice]:
    """The entries whose wordings look most like `text` (any overlap at all)."""
    grams = bigrams(match_form(text))
    scored = [(max((jaccard(grams, g) for g in c.grams), default=0.0), c) for c in choices]
    return [c for score, c in sorted(scored, key=lambda s: -s[0])[:limit] if score > 0]
