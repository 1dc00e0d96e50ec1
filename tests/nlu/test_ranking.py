"""Candidate order follows retrieval evidence; the answer decision follows confidence."""

from __future__ import annotations

from itertools import pairwise

from nlu.builtin import BuiltinNlu
from nlu.features import parse_query
from nlu.ranking import rank
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot
from tests.nlu.engine import decide
from tests.nlu.kb import ITEMS


def test_candidates_come_most_likely_first_and_read_differently(engine: BuiltinNlu) -> None:
    index = engine.index
    ranked = rank(index, parse_query(index, "丢了怎么补办"), 20, engine.calibration)
    assert [index.items[s.item].code for s in ranked[:2]] == ["GA-0001", "RS-0001"]
    assert all(a.retrieval >= b.retrieval for a, b in pairwise(ranked))
    keys = [index.display_keys[s.item] for s in ranked]
    assert len(keys) == len(set(keys))


def test_an_entry_reading_the_same_as_another_is_offered_once() -> None:
    twin = KbItem("GA-9999", "身份证丢了怎么补办", "同上。", "县公安局")
    built = BuiltinNlu(NluSettings())
    built.load(KbSnapshot(items=(*ITEMS, twin)))
    decision = decide(built, "丢了怎么补办")
    codes = [c.code for c in decision.candidates]
    assert not {"GA-0001", "GA-9999"} <= set(codes)
    assert "GA-0001" in codes


def test_entries_worded_differently_are_both_offered_even_if_synonyms_make_them_alike() -> None:
    # 居民身份证 is a synonym of 身份证: same meaning, but the citizen sees two wordings whose
    # answers may differ, so both stay choices.
    sibling = KbItem("GA-9998", "居民身份证丢了怎么补办？", "请到户政窗口办理。", "县公安局")
    built = BuiltinNlu(NluSettings())
    built.load(KbSnapshot(items=(*ITEMS, sibling)))
    decision = decide(built, "丢了怎么补办")
    assert {"GA-0001", "GA-9998"} <= {c.code for c in decision.candidates}
