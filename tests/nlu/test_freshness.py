"""Loading a new snapshot changes answers at once; the old index is never mixed in."""

from __future__ import annotations

from dataclasses import replace

from nlu.registry import create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbItem
from tests.nlu.engine import decide
from tests.nlu.kb import ITEMS, snapshot


def test_an_edited_answer_is_given_after_reload() -> None:
    engine = create_nlu("builtin", NluSettings())
    engine.load(snapshot())
    before = decide(engine, "身份证丢了怎么补办？")
    assert before.item is not None and "工本费20元" in before.item.answer

    edited = tuple(
        replace(item, answer="身份证丢失可在“浙里办”网上申请补领，邮寄到家。")
        if item.code == "GA-0001"
        else item
        for item in ITEMS
    )
    engine.load(snapshot(edited, revision="2"))
    after = decide(engine, "身份证丢了怎么补办？")
    assert after.item is not None and after.item.answer.startswith("身份证丢失可在“浙里办”")


def test_a_new_entry_becomes_answerable_and_a_retired_one_does_not() -> None:
    engine = create_nlu("builtin", NluSettings())
    engine.load(snapshot())
    question = "居住证怎么办理？"
    assert decide(engine, question).kind != "answer"

    added = KbItem("GA-0009", question, "在居住地连续居住半年以上可申领居住证。", "县公安局")
    engine.load(snapshot((*ITEMS, added), revision="2"))
    decision = decide(engine, question)
    assert decision.item is not None and decision.item.code == "GA-0009"

    engine.load(snapshot(tuple(i for i in ITEMS if i.code != "GJ-0001"), revision="3"))
    gone = decide(engine, "怎么提取住房公积金？")
    assert gone.item is None or gone.item.code != "GJ-0001"
    assert all(c.code != "GJ-0001" for c in gone.candidates)


def test_user_words_of_an_old_snapshot_do_not_survive_reload() -> None:
    engine = create_nlu("builtin", NluSettings())
    tagged = replace(ITEMS[0], tags=("临时身份证明",))
    engine.load(snapshot((tagged, *ITEMS[1:])))
    assert "临时身份证明" in engine.state.index.segmenter.words("开临时身份证明")
    engine.load(snapshot(revision="2"))
    assert "临时身份证明" not in engine.state.index.segmenter.words("开临时身份证明")
