"""Follow-ups among sibling entries: a knowledge base that splits one matter into many
near-identical entries, where the follow-up's own words say which one is meant."""

from __future__ import annotations

import asyncio

import pytest

from nlu.builtin import BuiltinNlu
from nlu.follow_ups import LastAnswer, decide_in_context, topic_of
from nlu.registry import create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbItem
from tests.nlu.kb import ITEMS, snapshot

MEDICAL = "医保局"
QUESTIONS = {
    "YB-0101": "本市参保人员申请办理跨省异地就医时，如何办理备案？",
    "YB-0102": "本市参保人员成功办理异地就医备案后有有效期限制吗？",
    "YB-0103": "本市参保人员办理异地就医备案后，在本市还可以持社保卡就医报销吗？",
    "YB-0104": "本市参保人员已成功办理异地就医备案后，如何取消备案？",
    "YB-0105": "本市参保人员已经办理了异地就医备案，如果需要变更异地备案城市，如何办理？",
}
SIBLINGS = tuple(
    KbItem(code, question, "请登录国家医保服务平台办理。", MEDICAL)
    for code, question in QUESTIONS.items()
)


@pytest.fixture(scope="module")
def siblings_engine() -> BuiltinNlu:
    built = create_nlu("builtin", NluSettings())
    assert isinstance(built, BuiltinNlu)
    built.load(snapshot((*ITEMS, *SIBLINGS)))
    return built


def _after(engine: BuiltinNlu, code: str, text: str) -> tuple[str, str | None]:
    item = engine.entry(code)
    assert item is not None
    last = LastAnswer(code, topic_of(item.question), 0.0)
    decided = asyncio.run(decide_in_context(engine, text, last=last, answer_at=0.8))
    answered = decided.decision.item
    return decided.decision.kind, answered.code if answered is not None else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("那持社保卡还能用吗", "YB-0103"), ("要换备案城市怎么弄", "YB-0105")],
)
def test_the_follow_ups_own_words_pick_the_sibling(
    siblings_engine: BuiltinNlu, text: str, expected: str
) -> None:
    # Alone these name no entry the engine is sure of; after the answer on 备案 they ask for
    # the sibling that holds their own words.
    assert _after(siblings_engine, "YB-0101", text) == ("answer", expected)
