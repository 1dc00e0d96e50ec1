"""The entry a follow-up asks about among the last answer's neighbourhood (its siblings).

Some knowledge bases split one matter into many near-identical entries (the Beijing FAQ has 27
on 异地就医备案 alone, 上浮 / 下浮档次, 门诊 / 住院): a follow-up such as 那持社保卡还能用吗 after
an answer on that matter is one of them, and which one is said by the follow-up's own words, not
by the words all the siblings share.

The neighbourhood is the entries that best fit the last answer's question and those that best
fit the follow-up joined to the last topic. A sibling is a neighbour whose question shares most
of the last topic's character pairs. Each sibling is scored by how much of the follow-up's own
character pairs its question contains, each pair weighted by how rare it is within the
neighbourhood: the pairs every sibling shares (the matter itself, 怎么, 如何) weigh little, the
ones that tell siblings apart (持社保卡, 有效期, 转入) weigh most.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass

from nlu.base import Nlu
from nlu.normalize import match_form
from nlu.snapshot import KbItem

# How many entries around the last answer and around the joint text form the neighbourhood.
NEIGHBOURHOOD = int(os.environ.get("SIB_N", "12"))
TOPIC_SHARE = float(os.environ.get("SIB_T", "0.4"))


def pairs_of(text: str) -> set[str]:
    form = match_form(text)
    return {form[i : i + 2] for i in range(len(form) - 1)} or ({form} if form else set())


@dataclass(frozen=True, slots=True)
class SiblingChoice:
    """The best-fitting sibling, its score and the last entry's (shares of the follow-up)."""

    item: KbItem
    score: float
    last_score: float
    runner_up: float


async def best_sibling(
    engine: Nlu, own_text: str, joint_text: str, last_code: str, topic: str, *, size: int = NEIGHBOURHOOD
) -> SiblingChoice | None:
    last = engine.entry(last_code)
    if last is None:
        return None
    around_last = await engine.alternatives(last.question, exclude=frozenset(), limit=size)
    around_joint = await engine.alternatives(joint_text, exclude=frozenset(), limit=size)
    neighbours = list({item.code: item for item in (last, *around_joint, *around_last)}.values())
    pairs = [pairs_of(item.question) for item in neighbours]
    seen = Counter(pair for own in pairs for pair in own)
    total = len(neighbours)
    wanted = pairs_of(own_text)
    topic_pairs = pairs_of(topic)

    def weight(pair: str) -> float:
        return math.log((total + 1) / (seen[pair] + 0.5))

    whole = sum(weight(pair) for pair in wanted) or 1.0
    scores = [sum(weight(p) for p in wanted & own) / whole for own in pairs]
    siblings = [
        i for i in range(1, total)
        if topic_pairs and len(topic_pairs & pairs[i]) / len(topic_pairs) >= TOPIC_SHARE
    ]
    if not siblings:
        return None
    order = sorted(siblings, key=lambda i: -scores[i])
    runner = scores[order[1]] if len(order) > 1 else 0.0
    return SiblingChoice(neighbours[order[0]], scores[order[0]], scores[0], runner)
