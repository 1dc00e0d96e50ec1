"""Refusing replayed webhook signatures: a timestamp window and a memory of nonces.

WeChat signs only token, timestamp and nonce (plus the ciphertext in safe mode), and Weibo only
app secret, timestamp and nonce, so a signature copied from an access log would otherwise be
good forever. A push is admitted when its timestamp
is within the window of now and its (timestamp, nonce) has not been seen with a different body
within the window. The platform's own retry of a push repeats the body and is admitted; the
pipeline drops it as a duplicate by its message id.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping

from handlers.state import StateStore
from handlers.state.base import StateUnavailable

log = logging.getLogger(__name__)

MAX_NONCE_CHARS = 64


class ReplayGuard:
    """Remembers nonces in the state store (Redis when configured, so every worker shares them)."""

    def __init__(
        self,
        state: StateStore,
        *,
        window_seconds: float,
        clock: Callable[[], float] = time.time,
        prefix: str = "wechat",
        millis: bool = False,
    ) -> None:
        self._state = state
        self._window = window_seconds
        self._clock = clock
        self._prefix = prefix
        # Weibo's timestamps count milliseconds, WeChat's seconds.
        self._unit = 1000 if millis else 1

    async def refusal(self, account: str, query: Mapping[str, str], body: bytes) -> str | None:
        """Why this signed request must be refused, or None to admit it. Call it after the
        signature check, so unsigned requests never fill the nonce memory."""
        stamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        if not stamp.isascii() or not stamp.isdigit():
            return "timestamp is not a number"
        if abs(self._clock() - int(stamp) / self._unit) > self._window:
            return "timestamp outside the window"
        if not nonce or len(nonce) > MAX_NONCE_CHARS:
            return "bad nonce"
        digest = hashlib.sha256(body).hexdigest()
        try:
            # Twice the window: a nonce is remembered as long as its timestamp could be admitted.
            first = await self._state.acquire(
                f"{self._prefix}-nonce:{account}:{stamp}:{nonce}",
                owner=digest,
                ttl=2 * self._window,
            )
        except StateUnavailable as exc:
            # The window still bounds a replay; refusing would lose real citizens' messages.
            log.warning("nonce memory unavailable, timestamp window only: %s", exc)
            return None
        return None if first else "nonce replayed with another body"
