"""Evaluation metrics, and the baseline reported beside the built-in engine."""

from __future__ import annotations

import pytest

from nlu.builtin import BuiltinNlu
from nlu.evaluation import evaluate, label_ceiling
from nlu.registry import backend_names, create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbItem
from tests.nlu.engine import decide
from tests.nlu.kb import snapshot

ROWS = [
    {"query": "身份证丢了怎么补办", "expected_id": "GA-0001", "kind": "paraphrase"},
    {"query": "公积金怎么提取", "expected_id": "GJ-0001", "kind": "paraphrase"},
    {"query": "丢了怎么补办", "expected_id": "RS-0001", "kind": "paraphrase"},
    {"query": "今天天气怎么样", "expected_id": None, "kind": "unrelated"},
    {
        "query": "单位拖欠工资三个月了，老板一直不给",
        "expected_id": None,
        "expected_department": "县人力资源和社会保障局",
        "kind": "routing",
    },
]


def test_metrics_count_what_the_citizen_got(engine: BuiltinNlu) -> None:
    result = evaluate(engine, ROWS)
    assert result["n"] == 5
    # The vague one is a clarify whose choices include the expected entry.
    decisions = [decide(engine, str(row["query"])) for row in ROWS[:3]]
    answered = sum(
        d.kind == "answer" and d.item.code == r["expected_id"]  # type: ignore[union-attr]
        for d, r in zip(decisions, ROWS, strict=False)
    )
    assert result["answer_at_1"] == pytest.approx(answered / 3, abs=1e-3)
    assert decisions[2].kind == "clarify"
    assert result["hit_at_3"] == 1.0
    assert result["answered_wrong_rate"] == 0.0 and result["referred_away_rate"] == 0.0
    assert result["false_answer_rate"] == 0.0
    assert result["route_accuracy"] == 1.0
    assert result["p99_ms"] >= result["p50_ms"] > 0
    assert set(result["by_kind"]) == {"paraphrase", "unrelated", "routing"}


def test_label_ceiling_counts_queries_no_engine_can_get_right() -> None:
    items = [
        KbItem("A", "怎样查驾驶证还有多少分？", "…", "县公安局"),
        KbItem("B", "怎么知道自己驾照还有多少分", "…", "县公安局"),
        KbItem("C", "非婚生子如何上户口", "…", "县公安局"),
        KbItem("D", "非婚生子如何上户口？", "…", "县公安局"),
    ]
    rows = [
        # Verbatim entry A's question, yet labelled B: answering A (the exact match) is "wrong".
        {"query": "怎样查驾驶证还有多少分", "expected_id": "B"},
        {"query": "驾照还剩几分怎么查", "expected_id": "B"},
        # Expected C, whose question D shows too: a coin toss between twins.
        {"query": "非婚生子怎样上户口", "expected_id": "C"},
        {"query": "今天天气怎么样", "expected_id": None},
        # Labelled "must not be answered", yet it is entry C's question word for word.
        {"query": "非婚生子如何上户口。", "expected_id": None},
    ]
    assert label_ceiling(rows, items) == {
        "answerable": 3,
        "verbatim_another_entry": 1,
        "expected_has_verbatim_twin": 1,
        "answer_at_1_ceiling": round(2 / 3, 4),
        "unanswerable": 2,
        "unanswerable_verbatim_an_entry": 1,
        "false_answer_rate_floor": 0.5,
    }


def test_route_accuracy_is_none_without_routing_rows(engine: BuiltinNlu) -> None:
    assert evaluate(engine, ROWS[:2])["route_accuracy"] is None


def test_baseline_answers_any_overlap_where_builtin_declines(engine: BuiltinNlu) -> None:
    baseline = create_nlu("baseline", NluSettings())
    baseline.load(snapshot())
    near_miss = "火车票丢了怎么退票"
    # No rejection: shared words (丢了, 怎么) are enough, which is what the builtin improves on.
    assert decide(baseline, near_miss).kind == "answer"
    assert decide(engine, near_miss).kind != "answer"


def test_baseline_falls_back_when_no_word_is_shared() -> None:
    baseline = create_nlu("baseline", NluSettings())
    baseline.load(snapshot())
    assert decide(baseline, "🙂🙂").kind == "fallback"


def test_registry_knows_the_backends_and_refuses_others() -> None:
    assert set(backend_names()) == {"builtin", "baseline", "rasa"}
    assert create_nlu("baseline", NluSettings()).name == "baseline"
    with pytest.raises(ValueError, match="spacy"):
        create_nlu("spacy", NluSettings())
