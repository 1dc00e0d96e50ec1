"""The entry a follow-up asks about among the last answer's neighbourhood (its siblings).

Some knowledge bases split one matter into many near-identical entries (the Beijing FAQ has 27
on 异地就医备案 alone, 上浮 / 下浮档次, 门诊 / 住院): a follow-up such as 那持社保卡还能用吗 after
an answer on that matter asks for one of them, and which one is said by the follow-up's own
words, not by the words all the siblings share.

The neighbourhood is the entries that best fit the last answer's question, with those that best
fit the follow-up joined to the last topic. A sibling is a neighbour whose question holds at
least `TOPIC_SHARE` of the last topic's character pairs. Each sibling is scored by the share of
the follow-up's own character pairs its question holds, each pair weighted by how rare it is in
the neighbourhood: pairs every neighbour shares (the matter itself, 怎么, 如何) weigh little,
those that tell siblings apart (持社保卡, 有效期, 转入) weigh most.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from nlu.base import Nlu
from nlu.normalize import match_form
from nlu.snapshot import KbItem

# How many entries around the last answer, and around the joint text, are its neighbourhood.
NEIGHBOURHOOD = 12
# A neighbour sharing this much of the last topic's character pairs is a sibling: chosen on the
# tune splits of both conversation sets together (right follow-ups out of 150: 0.2 → 126,
# 0.25 → 127, 0.3 → 123, 0.4 → 120).
TOPIC_SHARE = 0.25


def pairs_of(text: str) -> set[str]:
    """The character pairs of `text` (its match form), or the one character it has."""
    form = match_form(text)
    return {form[i : i + 2] for i in range(len(form) - 1)} or ({form} if form else set())


async def neighbourhood(engine: Nlu, code: str) -> tuple[KbItem, ...]:
    """The entry with `code` and the entries that best fit its question, best first."""
    item = engine.entry(code)
    if item is None:
        return ()
    around = await engine.alternatives(item.question, exclude=frozenset(), limit=NEIGHBOURHOOD)
    return (item, *(other for other in around if other.code != code))


@dataclass(frozen=True, slots=True)
class SiblingChoice:
    """The sibling that fits the follow-up best, with its score, the last answer's and the
    next sibling's (weighted shares of the follow-up's own character pairs)."""

    item: KbItem
    score: float
    last_score: float
    runner_up: float


async def best_sibling(
    engine: Nlu, own_text: str, joint_text: str, topic: str, around_last: tuple[KbItem, ...]
) -> SiblingChoice | None:
    """The sibling of `around_last[0]` (the last answer) whose question holds most of
    `own_text` (see the module docstring); ties go to the one the joint text ranks higher.
    None when the last answer has no sibling."""
    if not around_last:
        return None
    around_joint = await engine.alternatives(joint_text, exclude=frozenset(), limit=NEIGHBOURHOOD)
    last = around_last[0]
    ordered = (last, *around_joint, *around_last[1:])
    neighbours = list({item.code: item for item in ordered}.values())
    pairs = [pairs_of(item.question) for item in neighbours]
    seen = Counter(pair for own in pairs for pair in own)
    count = len(neighbours)

    def weight(pair: str) -> float:
        return math.log((count + 1) / (seen[pair] + 0.5))

    wanted = pairs_of(own_text)
    whole = sum(weight(pair) for pair in wanted) or 1.0
    scores = [sum(weight(pair) for pair in wanted & own) / whole for own in pairs]
    topic_pairs = pairs_of(topic)
    siblings = [
        i
        for i in range(1, count)
        if topic_pairs and len(topic_pairs & pairs[i]) / len(topic_pairs) >= TOPIC_SHARE
    ]
    if not siblings:
        return None
    order = sorted(siblings, key=lambda i: -scores[i])
    runner_up = scores[order[1]] if len(order) > 1 else 0.0
    return SiblingChoice(neighbours[order[0]], scores[order[0]], scores[0], runner_up)
