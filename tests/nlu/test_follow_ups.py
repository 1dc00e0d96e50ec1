"""Follow-ups in context: which messages lean on the last answer, the topic joined to them, and
the conversation figures on the sample county's labelled conversations."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlu.builtin import BuiltinNlu
from nlu.follow_ups import (
    LastAnswer,
    decide_in_context,
    joined,
    reads_as_follow_up,
    remember,
    topic_of,
)
from tests.nlu.test_engine_commands import _app, _last_json

CONVERSATIONS = (
    Path(__file__).resolve().parents[1] / "fixtures" / "nlu" / "sample_county_conversations.jsonl"
)
COUNTY_ENTRIES = Path(__file__).resolve().parents[2] / "config" / "sample_county" / "entries.yaml"


@pytest.mark.parametrize(
    "text",
    ["那要带什么材料？", "网上能办吗？", "要多少钱", "多久能拿到", "在哪里办",
     "那如果父母不是本地户口呢？", "刚才那个要多少钱", "上一个问题再说一遍"],
)  # fmt: skip
def test_messages_that_lean_on_the_last_answer(text: str) -> None:
    assert reads_as_follow_up(text)


@pytest.mark.parametrize(
    "text", ["身份证丢了怎么补办？", "社保卡怎么激活", "孩子上小学报名需要什么条件？", "", "🙂"]
)
def test_messages_with_a_matter_of_their_own(text: str) -> None:
    assert not reads_as_follow_up(text)


def test_the_topic_is_the_question_without_facet_and_question_words() -> None:
    assert topic_of("新生儿怎么上户口？") == "新生儿上户口"
    assert topic_of("结婚登记需要携带哪些材料？") == "结婚登记"
    assert joined("新生儿上户口", "那要带什么材料？") == "新生儿上户口 要带什么材料"
    assert joined("新生儿上户口", "刚才那个要多少钱") == "新生儿上户口 要多少钱"


def test_without_context_the_decision_is_the_stand_alone_one(engine: BuiltinNlu) -> None:
    for text in ("丢了怎么补办", "那要多少钱", "今天天气怎么样"):
        alone = asyncio.run(engine.decide(text))
        decided = asyncio.run(decide_in_context(engine, text, last=None, answer_at=0.8))
        assert decided.decision == alone and not decided.in_context


def test_small_talk_is_never_taken_into_context(engine: BuiltinNlu) -> None:
    last = LastAnswer("GA-0001", "身份证丢了补办", 0.0)
    decided = asyncio.run(decide_in_context(engine, "谢谢", last=last, answer_at=0.0))
    assert decided.decision.kind == "intent" and not decided.in_context


def test_an_answer_sets_the_context_and_anything_else_keeps_it(engine: BuiltinNlu) -> None:
    answer = asyncio.run(engine.decide("身份证丢了怎么补办"))
    assert answer.kind == "answer" and answer.item is not None
    last = remember(None, answer, now=100.0)
    assert last == LastAnswer(answer.item.code, topic_of(answer.item.question), 100.0)
    assert last.fresh(100.0 + 600, 600) and not last.fresh(100.0 + 601, 600)
    fallback = asyncio.run(engine.decide("今天天气怎么样"))
    assert remember(last, fallback, now=200.0) == last


def test_the_sample_county_conversations_meet_the_floor(tmp_path: Path) -> None:
    args = ["eval", "--kb", str(COUNTY_ENTRIES), "--conversations", str(CONVERSATIONS)]
    result = CliRunner().invoke(_app(), [*args, "--vector-cache", str(tmp_path / "v.db")])
    assert result.exit_code == 0, result.output
    figures = _last_json(result.output)
    rows = [json.loads(line) for line in CONVERSATIONS.read_text("utf-8").splitlines()]
    assert figures["conversations"] == len(rows) == 60
    assert figures["followups"] == sum(len(r["turns"]) - 1 for r in rows)
    assert figures["followup_at_1"] >= 0.80  # type: ignore[operator]
    # Context is what makes the difference: alone, most follow-ups miss.
    assert figures["followup_at_1_alone"] < 0.5  # type: ignore[operator]
    assert set(figures["by_split"]) == {"tune", "held_out"}  # type: ignore[arg-type]
