"""The `rasa` backend against a fake Rasa server: mapping, intents, fallback and the breaker."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from tests.nlu.rasa.fake_rasa import answering, engine_with, parse_body


async def test_rasas_first_entry_is_the_one_decided_about() -> None:
    engine = engine_with(answering([("GA-0001", 0.8), ("GA-0002", 0.1)]))
    decision = await engine.decide("身份证丢了怎么补办")
    assert decision.kind == "answer"
    assert decision.item is not None and decision.item.code == "GA-0001"
    assert engine.counters()["fallbacks_total"] == 0


async def test_entries_retired_since_training_are_never_offered() -> None:
    ranking = [("XX-9999", 0.6), ("GA-0001", 0.2), ("RS-0001", 0.15), ("GA-0002", 0.05)]
    engine = engine_with(answering(ranking))
    decision = await engine.decide("证件丢了怎么补办")
    shown = [decision.item.code] if decision.item else [c.code for c in decision.candidates]
    assert "XX-9999" not in shown and shown[0] == "GA-0001"
    if decision.kind == "clarify":
        picked = await engine.decide("2", pending=decision.pending)
        assert picked.item is not None and picked.item.code == decision.pending[1]


async def test_a_flat_ranking_is_routed_or_falls_back() -> None:
    codes = ("GA-0001", "GA-0002", "RS-0001", "RS-0002", "GJ-0001", "WJ-0001", "XX-1", "XX-2")
    engine = engine_with(answering([(code, 0.001) for code in codes]))
    decision = await engine.decide("今天中午吃什么好")
    assert decision.kind in {"route", "fallback"}
    assert decision.item is None


async def test_rasa_conversation_intent_and_rule_intents() -> None:
    engine = engine_with(answering([("GA-0001", 0.5)], intent="robot", confidence=0.9))
    robot = await engine.decide("请问你们这边回复的是不是程序")
    assert (robot.kind, robot.intent) == ("intent", "robot")
    human = await engine.decide("转人工")  # the built-in rules come first
    assert (human.kind, human.intent, human.handover) == ("intent", "human", True)


async def test_personal_data_is_masked_before_rasa_sees_it() -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content)["text"])
        return httpx.Response(200, json=parse_body([("GA-0001", 0.9)]))

    engine = engine_with(handle)
    decision = await engine.decide("我的手机13812345678身份证丢了")
    assert "13812345678" not in seen[0] and "13812345678" not in decision.masked_text


async def test_failures_fall_back_to_builtin_and_open_the_breaker() -> None:
    calls = 0

    def down(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    engine = engine_with(down, retries=1, failures_to_open=2, cooldown_s=60)
    for _ in range(3):
        decision = await engine.decide("身份证丢了怎么补办？")
        assert decision.kind == "answer"  # the built-in engine's answer
        assert decision.item is not None and decision.item.code == "GA-0001"
    assert calls == 4  # two decisions × (call + retry); the third skipped Rasa
    counters = engine.counters()
    assert counters["fallbacks_total"] == 3
    assert counters["failures_total"] == 2
    assert counters["circuit_open"] is True
    assert counters["circuit_opened_total"] == 1


async def test_a_slow_rasa_is_cut_off_at_the_budget() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json=parse_body([("GA-0002", 0.9)]))

    engine = engine_with(slow, timeout_s=2, budget_s=0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    decision = await engine.decide("身份证丢了怎么补办？")
    assert loop.time() - started < 1.0
    assert decision.item is not None and decision.item.code == "GA-0001"
    assert engine.counters()["fallbacks_total"] == 1


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
async def test_garbled_answers_count_as_failures(body: bytes) -> None:
    engine = engine_with(lambda request: httpx.Response(200, content=body))
    decision = await engine.decide("身份证丢了怎么补办？")
    assert decision.kind == "answer"
    assert engine.counters()["failures_total"] == 1
