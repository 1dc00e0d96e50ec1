"""The circuit breaker opens after repeated failures, refuses during the cool-down, then probes."""

from __future__ import annotations

from nlu.rasa.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_failures_then_probes_once_and_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures_to_open=2, cooldown_s=10, clock=clock)
    assert breaker.allow() and not breaker.record_failure()
    assert breaker.allow() and breaker.record_failure()
    assert breaker.is_open and not breaker.allow()
    clock.now = 10.5
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # only one at a time
    assert breaker.record_success()
    assert not breaker.is_open and breaker.allow()
    assert breaker.opened_total == 1


def test_failed_probe_opens_for_another_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures_to_open=1, cooldown_s=10, clock=clock)
    breaker.record_failure()
    clock.now = 11
    assert breaker.allow()
    assert breaker.record_failure()
    assert not breaker.allow()
    clock.now = 20
    assert not breaker.allow()
    clock.now = 21.5
    assert breaker.allow()
    assert breaker.opened_total == 2


def test_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failures_to_open=2, cooldown_s=10, clock=Clock())
    breaker.record_failure()
    breaker.record_success()
    assert not breaker.record_failure()
    assert not breaker.is_open
