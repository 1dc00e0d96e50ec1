"""The confidence model is fitted from the knowledge base alone, and respects expected signs."""

from __future__ import annotations

import random

from nlu.builtin import BuiltinNlu
from nlu.calibration_fit import _Perturber, fit_self_supervised, self_supervised_pairs
from nlu.features import EXPECTED_SIGNS, features, parse_query


def test_pairs_from_the_kb_hold_matches_and_near_misses(engine: BuiltinNlu) -> None:
    x, y, groups = self_supervised_pairs(engine.index, 20, entries=50, seed=1)
    assert x.shape[0] == y.shape[0] == groups.shape[0] > 0
    assert 0 < y.sum() < len(y)


def test_a_fit_on_the_kb_points_every_feature_the_expected_way(engine: BuiltinNlu) -> None:
    fitted = fit_self_supervised(engine, entries=50, seed=1)
    assert all(w * s >= 0 for w, s in zip(fitted.weights, EXPECTED_SIGNS, strict=True))


def test_near_miss_perturbations_change_the_matter(engine: BuiltinNlu) -> None:
    perturber = _Perturber(engine.index, random.Random(3))
    assert perturber.drop_key_term("身份证丢了怎么补办") == "丢失怎么补办"
    swapped = perturber.swap_key_term(
        "身份证丢了怎么补办", [[], ["退"], ["社保卡"], ["公积金"], []]
    )
    assert swapped is not None and swapped != "身份证丢失怎么补办"


def test_a_different_number_is_seen_even_as_a_single_character(engine: BuiltinNlu) -> None:
    index = engine.index
    one = parse_query(index, "驾照考试科目一")
    four = parse_query(index, "驾照考试科目四")
    assert one.numerals and four.numerals and one.numerals != four.numerals
    assert not parse_query(index, "查一下一个人").numerals
    wording = next(w for w in index.wordings if w.item == 0)
    values = features(index, one, wording, 0.0, 0.0)
    assert len(values) == len(EXPECTED_SIGNS)
