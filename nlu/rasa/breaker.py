"""A circuit breaker: after repeated failures stop calling a dependency for a while, then probe.

Closed: every call goes through. After `failures_to_open` failures in a row it opens: calls are
refused for `cooldown_s`. Then one call is let through as a probe: success closes the breaker,
failure opens it for another cool-down.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """Counts consecutive failures; `allow()` says whether to call the dependency now."""

    def __init__(
        self,
        *,
        failures_to_open: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures_to_open = failures_to_open
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._failures = 0
        self._open_until: float | None = None
        self._probing = False
        self.opened_total = 0

    @property
    def is_open(self) -> bool:
        """True while calls are being refused or a probe is deciding."""
        return self._open_until is not None

    def allow(self) -> bool:
        """Whether to call now; after the cool-down exactly one caller gets to probe."""
        if self._open_until is None:
            return True
        if self._probing or self._clock() < self._open_until:
            return False
        self._probing = True
        return True

    def record_success(self) -> bool:
        """Note a good call; True when it closed an open breaker."""
        was_open = self.is_open
        self._failures, self._open_until, self._probing = 0, None, False
        return was_open

    def record_failure(self) -> bool:
        """Note a failed call; True when it (re)opened the breaker."""
        self._failures += 1
        # Calls that were in flight when it opened must not extend the cool-down.
        threshold_reached = self._open_until is None and self._failures >= self.failures_to_open
        if not (self._probing or threshold_reached):
            return False
        self._probing = False
        self._open_until = self._clock() + self.cooldown_s
        self.opened_total += 1
        return True
