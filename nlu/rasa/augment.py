"""More training wordings per entry, so Rasa learns what a question is about rather than one string.

From every stored wording (question and alternates) it derives: the wording without citizens'
filler words (请问、怎么、如何、吗 …), the wording with interchangeable function words swapped
(怎么→如何, 需要→要, 哪里→哪儿 …) and the wording with each knowledge-base synonym put in
(驾驶证→驾照). Stored wordings come first, so capping the number keeps the most reliable ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from nlu.normalize import match_form
from nlu.snapshot import KbItem, SynonymGroup

# Openers and particles that carry no topic; dropping them teaches that only the topic matters.
_FILLER = re.compile(
    r"^(请问一下|请问|您好|你好|麻烦问一下|麻烦问下|我想问一下|我想问问|我想问|想问一下|想问下|"
    r"问一下|咨询一下|我想咨询一下|我想咨询)|请问|怎么样|怎么|如何|怎样|一下|(吗|呢|啊|呀|哈|吧)$"
)
# Words citizens use interchangeably in questions (one direction: 办→办理 would make 补办理).
_SWAPS: tuple[tuple[str, str], ...] = (
    ("怎么", "如何"),
    ("如何", "怎么"),
    ("怎样", "怎么"),
    ("需要", "要"),
    ("哪里", "哪儿"),
    ("什么", "啥"),
    ("可以", "能"),
    ("办理", "办"),
    ("多少钱", "多少费用"),
)
_END = re.compile(r"[？?。！!，,；;、\s]+$")
_MIN_CHARS = 2


def _clean(text: str) -> str:
    """One line, no trailing punctuation, no markup Rasa would read as an entity annotation."""
    text = " ".join(text.split())
    text = text.replace("[", "【").replace("]", "】").replace("{", "（").replace("}", "）")
    return _END.sub("", text)


def _without_filler(text: str) -> str:
    previous = None
    while previous != text:  # 请问…怎么…吗 loses every filler, not just the first
        previous, text = text, _FILLER.sub("", text)
    return text


def _swapped(text: str) -> Iterator[str]:
    for word, other in _SWAPS:
        if word in text:
            yield text.replace(word, other)


def _with_synonyms(text: str, groups: Sequence[tuple[str, ...]]) -> Iterator[list[str]]:
    """Per synonym group found in `text`: the text with each other word of the group."""
    for words in groups:
        # The longest word that occurs, so 小孩子 is replaced whole rather than its 小孩.
        found = next((w for w in sorted(words, key=len, reverse=True) if w in text), None)
        if found is not None:
            yield [text.replace(found, w) for w in words if w != found and found not in w]


def _interleaved(rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """First of every row, then second of every row …: one of each kind before more of one."""
    for position in range(max((len(row) for row in rows), default=0)):
        yield from (row[position] for row in rows if position < len(row))


def synonym_rows(groups: Iterable[SynonymGroup]) -> tuple[tuple[str, ...], ...]:
    """Each group as its canonical word followed by its variants, empty words left out."""
    rows = (tuple(w for w in (g.canonical, *g.variants) if w) for g in groups)
    return tuple(row for row in rows if len(row) > 1)


def training_examples(
    item: KbItem, synonyms: Sequence[tuple[str, ...]], *, limit: int
) -> list[str]:
    """Up to `limit` distinct wordings of `item`: stored ones first, then generated ones."""
    stored = [_clean(text) for text in (item.question, *item.alternates)]
    bare = [_without_filler(text) for text in stored]
    swapped = _interleaved([list(_swapped(text)) for text in stored])
    substituted = _interleaved(
        [row for text in (*stored, *bare) for row in _with_synonyms(text, synonyms)]
    )
    examples: list[str] = []
    seen: set[str] = set()
    for text in (*stored, *bare, *_interleaved([list(swapped), list(substituted)])):
        key = match_form(text)
        if len(key) >= _MIN_CHARS and key not in seen:
            seen.add(key)
            examples.append(text)
            if len(examples) == limit:
                break
    return examples
