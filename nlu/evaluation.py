"""Measure an answer engine on labelled query rows (format: ../shared/eval/README.md)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlu.base import Nlu
from nlu.decision import Decision
from nlu.normalize import match_form
from nlu.snapshot import KbItem

QueryRow = Mapping[str, Any]


def read_query_rows(path: Path) -> list[dict[str, Any]]:
    """One JSON object a line: query, expected_id, optional expected_department and kind."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _in_top3(decision: Decision, expected: str) -> bool:
    if decision.kind == "answer":
        return decision.item is not None and decision.item.code == expected
    return decision.kind == "clarify" and expected in [c.code for c in decision.candidates[:3]]


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _metrics(rows: Sequence[QueryRow], decisions: Sequence[Decision]) -> dict[str, Any]:
    answerable = [(r, d) for r, d in zip(rows, decisions, strict=True) if r.get("expected_id")]
    answered = [(r, d) for r, d in answerable if d.kind == "answer" and d.item is not None]
    unanswerable = [
        (r, d) for r, d in zip(rows, decisions, strict=True) if not r.get("expected_id")
    ]
    routable = [
        (r, d) for r, d in zip(rows, decisions, strict=True) if r.get("expected_department")
    ]
    return {
        "n": len(rows),
        "answer_at_1": _share(
            sum(
                d.kind == "answer" and d.item is not None and d.item.code == r["expected_id"]
                for r, d in answerable
            ),
            len(answerable),
        ),
        "hit_at_3": _share(
            sum(_in_top3(d, r["expected_id"]) for r, d in answerable), len(answerable)
        ),
        "answered_wrong_rate": _share(
            sum(d.item is not None and d.item.code != r["expected_id"] for r, d in answered),
            len(answerable),
        ),
        # Answerable questions sent to a department or the hotline instead of the entry.
        "referred_away_rate": _share(
            sum(d.kind in ("route", "fallback") for _, d in answerable), len(answerable)
        ),
        "false_answer_rate": _share(
            sum(d.kind == "answer" for _, d in unanswerable), len(unanswerable)
        ),
        # A referral counts whether it came as a route or with a complaint handover.
        "route_accuracy": _share(
            sum(
                d.referral is not None and d.referral.name == r["expected_department"]
                for r, d in routable
            ),
            len(routable),
        ),
        "not_answered_rate": _share(
            sum(d.kind != "answer" for _, d in unanswerable), len(unanswerable)
        ),
        "decisions": dict(Counter(d.kind for d in decisions)),
    }


async def _run(engine: Nlu, rows: Sequence[QueryRow]) -> tuple[list[Decision], list[float]]:
    decisions: list[Decision] = []
    latencies: list[float] = []
    for row in rows:
        started = time.perf_counter()
        decisions.append(await engine.decide(str(row["query"])))
        latencies.append((time.perf_counter() - started) * 1000)
    return decisions, latencies


def run_queries(engine: Nlu, rows: Sequence[QueryRow]) -> tuple[list[Decision], list[float]]:
    """The engine's decision on every row and each decision's latency in milliseconds."""
    return asyncio.run(_run(engine, rows))


def summarize(
    name: str, rows: Sequence[QueryRow], decisions: Sequence[Decision], latencies: Sequence[float]
) -> dict[str, Any]:
    """Metrics of decisions on `rows`, overall and per `kind`.

    answer_at_1: share of rows with an expected_id answered with exactly that entry;
    hit_at_3: expected entry is the answer or among the first three clarify candidates;
    answered_wrong_rate: share of rows with an expected_id answered with another entry;
    referred_away_rate: share of rows with an expected_id routed or fallen back;
    false_answer_rate: share of rows without expected_id that got an answer;
    route_accuracy: share of rows with expected_department referred to it (None when none);
    p50_ms / p99_ms: decision latency.
    """
    result = {"backend": name, **_metrics(rows, decisions)}
    result["p50_ms"] = round(float(np.percentile(latencies, 50)), 3) if latencies else None
    result["p99_ms"] = round(float(np.percentile(latencies, 99)), 3) if latencies else None
    for field in ("kind", "style"):
        groups: dict[str, list[int]] = defaultdict(list)
        for position, row in enumerate(rows):
            if row.get(field):
                groups[str(row[field])].append(position)
        if len(groups) > 1:
            result[f"by_{field}"] = {
                name: _metrics([rows[i] for i in positions], [decisions[i] for i in positions])
                for name, positions in sorted(groups.items())
            }
    return result


def evaluate(engine: Nlu, rows: Iterable[QueryRow]) -> dict[str, Any]:
    """Run `engine` on `rows` and summarise (see `summarize` for the metrics)."""
    rows = list(rows)
    decisions, latencies = run_queries(engine, rows)
    return summarize(engine.name, rows, decisions, latencies)


def label_ceiling(rows: Sequence[QueryRow], items: Sequence[KbItem]) -> dict[str, Any]:
    """How far the labels themselves let any engine go, independent of the engine.

    A query whose text is, punctuation and script aside, the question or an alternate wording of
    an entry other than its expected one cannot be answered "correctly" by an engine that answers
    an exact match with the entry it matches; its share bounds `answer_at_1` from above. Expected
    entries whose question shows the same text as another entry's are a coin toss between twins.
    Likewise a must-not-answer query that is verbatim some entry's wording will be answered by
    such an engine, so its share bounds `false_answer_rate` from below.
    """
    owners: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for text in (item.question, *item.alternates):
            owners[match_form(text)].add(item.code)
    shown: Counter[str] = Counter(match_form(item.question) for item in items)
    question_of = {item.code: match_form(item.question) for item in items}
    answerable = [r for r in rows if r.get("expected_id")]
    verbatim_other = sum(
        bool(owners.get(match_form(str(r["query"])), set()) - {r["expected_id"]})
        for r in answerable
    )
    twins = sum(shown[question_of.get(str(r["expected_id"]), "")] > 1 for r in answerable)
    unanswerable = [r for r in rows if not r.get("expected_id")]
    verbatim_unanswerable = sum(match_form(str(r["query"])) in owners for r in unanswerable)
    return {
        "answerable": len(answerable),
        "verbatim_another_entry": verbatim_other,
        "expected_has_verbatim_twin": twins,
        "answer_at_1_ceiling": _share(len(answerable) - verbatim_other, len(answerable)),
        "unanswerable": len(unanswerable),
        "unanswerable_verbatim_an_entry": verbatim_unanswerable,
        "false_answer_rate_floor": _share(verbatim_unanswerable, len(unanswerable)),
    }
