"""The circuit breaker in front of Rasa: three failures in a row skip Rasa for 30 s, then one
call probes it. The clock is moved with time-machine (pybreaker reads the wall clock); no waits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from tests.nlu.rasa.fake_rasa import engine_with, parse_body

QUESTION = "身份证丢了怎么补办？"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FlakyRasa:
    """A Rasa server that can be taken down and brought back; it counts the calls that reach it."""

    def __init__(self) -> None:
        self.up = False
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if not self.up:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=parse_body([("GA-0001", 0.9)]))


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


async def test_three_failures_skip_rasa_for_thirty_seconds_then_one_probe_closes_it(
    clock: time_machine.Coordinates,
) -> None:
    rasa = FlakyRasa()
    engine = engine_with(rasa, retries=0)  # the defaults: 3 failures, 30 s
    for _ in range(3):
        decision = await engine.decide(QUESTION)
        assert decision.item is not None and decision.item.code == "GA-0001"  # built-in answer
    assert rasa.calls == 3
    assert engine.counters()["circuit_open"] is True
    assert engine.counters()["circuit_opened_total"] == 1

    clock.shift(timedelta(seconds=29))
    rasa.up = True
    decision = await engine.decide(QUESTION)
    assert decision.item is not None and decision.item.code == "GA-0001"
    assert rasa.calls == 3  # still skipped, although Rasa is back
    assert engine.counters()["fallbacks_total"] == 4

    clock.shift(timedelta(seconds=2))
    await engine.decide(QUESTION)
    assert rasa.calls == 4  # the probe
    counters = engine.counters()
    assert counters["circuit_open"] is False
    assert counters["fallbacks_total"] == 4  # Rasa's answer this time
    await engine.decide(QUESTION)
    assert rasa.calls == 5


async def test_a_failed_probe_skips_rasa_for_another_thirty_seconds(
    clock: time_machine.Coordinates,
) -> None:
    rasa = FlakyRasa()
    engine = engine_with(rasa, retries=0)
    for _ in range(3):
        await engine.decide(QUESTION)
    clock.shift(timedelta(seconds=31))
    await engine.decide(QUESTION)  # the probe fails
    assert rasa.calls == 4
    assert engine.counters()["circuit_opened_total"] == 2

    clock.shift(timedelta(seconds=29))
    await engine.decide(QUESTION)
    assert rasa.calls == 4
    clock.shift(timedelta(seconds=2))
    rasa.up = True
    await engine.decide(QUESTION)
    assert rasa.calls == 5
    assert engine.counters()["circuit_open"] is False


async def test_only_one_message_probes_while_the_others_get_the_builtin_answer(
    clock: time_machine.Coordinates,
) -> None:
    rasa = FlakyRasa()
    probing, release = asyncio.Event(), asyncio.Event()

    async def slow_to_recover(request: httpx.Request) -> httpx.Response:
        if rasa.up:
            probing.set()
            await release.wait()
        return rasa(request)

    engine = engine_with(slow_to_recover, retries=0, budget_s=4, timeout_s=5)
    for _ in range(3):
        await engine.decide(QUESTION)
    clock.shift(timedelta(seconds=31))
    rasa.up = True
    probe = asyncio.create_task(engine.decide(QUESTION))
    await probing.wait()
    other = await engine.decide(QUESTION)
    assert other.item is not None and other.item.code == "GA-0001"
    assert rasa.calls == 3  # the second message did not reach Rasa
    release.set()
    await probe
    assert rasa.calls == 4
    assert engine.counters()["circuit_open"] is False
    assert engine.counters()["fallbacks_total"] == 4


async def test_a_success_between_failures_keeps_rasa_asked(clock: time_machine.Coordinates) -> None:
    rasa = FlakyRasa()
    engine = engine_with(rasa, retries=0)
    for up in (False, False, True, False, False):
        rasa.up = up
        await engine.decide(QUESTION)
    rasa.up = True
    await engine.decide(QUESTION)
    assert rasa.calls == 6
    assert engine.counters()["circuit_opened_total"] == 0
