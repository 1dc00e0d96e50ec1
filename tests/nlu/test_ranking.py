"""Candidates come best first, read differently, and a rare exact term is never lost."""

from __future__ import annotations

from itertools import pairwise

from nlu.builtin import BuiltinNlu
from nlu.features import parse_query
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot
from tests.nlu.engine import decide
from tests.nlu.kb import ITEMS, project_synonyms


def _codes(engine: BuiltinNlu, text: str, order: list[int] | None = None) -> list[str]:
    state = engine.state
    query = parse_query(state.index, text)
    vector = engine.embedder.query(text) if engine.embedder else None
    ranking = state.ranker.rank(query, vector, order=order)
    assert all(a >= b for a, b in pairwise(ranking.primary.tolist())) or order is not None
    return [state.snapshot.items[int(i)].code for i in ranking.items]


def test_candidates_come_most_likely_first(engine: BuiltinNlu) -> None:
    codes = _codes(engine, "社保卡掉了要去哪补")
    assert codes[0] == "RS-0001"
    assert len(codes) == len(set(codes))


def test_another_rankers_order_is_kept(engine: BuiltinNlu) -> None:
    by_code = engine.state.by_code
    order = [by_code["GJ-0001"], by_code["GA-0001"]]
    assert _codes(engine, "身份证丢了怎么补办", order) == ["GJ-0001", "GA-0001"]


def test_an_entry_reading_the_same_as_another_is_offered_once() -> None:
    twin = KbItem("GA-9999", "身份证丢了怎么补办", "同上。", "县公安局")
    built = BuiltinNlu(NluSettings())
    built.load(KbSnapshot(synonyms=project_synonyms(), items=(*ITEMS, twin)))
    codes = _codes(built, "证件丢了怎么补办")
    assert not {"GA-0001", "GA-9999"} <= set(codes)
    assert {"GA-0001", "GA-9999"} & set(codes)


def test_entries_worded_differently_are_both_offered_even_if_synonyms_make_them_alike() -> None:
    # 居民身份证 is a synonym of 身份证: same meaning, but the citizen sees two wordings whose
    # answers may differ, so both stay choices.
    sibling = KbItem("GA-9998", "居民身份证丢了怎么补办？", "请到户政窗口办理。", "县公安局")
    built = BuiltinNlu(NluSettings())
    built.load(KbSnapshot(synonyms=project_synonyms(), items=(*ITEMS, sibling)))
    decision = decide(built, "身份证丢了咋整")
    shown = {c.code for c in decision.candidates} | (
        {decision.item.code} if decision.item else set()
    )
    assert shown & {"GA-0001", "GA-9998"}
    if decision.kind == "clarify":
        assert {"GA-0001", "GA-9998"} <= shown
