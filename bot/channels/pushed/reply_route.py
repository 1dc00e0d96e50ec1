"""Which way one pushed message's answer travels, so the platform's retries neither lose nor
repeat it.

WeChat (and Weibo, the same way) retries a push only when it got no response within 5 seconds,
and then ignores whatever the earlier attempt still sends back. So a retry means: the original's
passive reply is lost.
- The original answers passively only if no retry has been seen yet (it claims the route first);
  otherwise its answer goes by the send API (WeChat customer service, Weibo's reply API).
- A retry arriving after the original answered passively re-sends that answer once by the send
  API.
The claims live in the shared state store, so retries landing on another worker count too.
"""

from __future__ import annotations

import logging

from handlers.state import StateStore, StateUnavailable

log = logging.getLogger(__name__)

TTL_SECONDS = 300.0  # three attempts span about 15 seconds


class ReplyRoute:
    """Claims in the state store keyed by channel, account, citizen and message id."""

    def __init__(self, state: StateStore, *, prefix: str) -> None:
        self._state = state
        self._prefix = prefix

    async def answer_passively(self, key: str, text: str) -> bool:
        """The original, answer ready: may it go in the HTTP response (no retry seen yet)?"""
        try:
            if not await self._state.claim(f"{self._prefix}:route:{key}", ttl=TTL_SECONDS):
                return False
            await self._state.put(f"{self._prefix}:passive:{key}", {"text": text}, ttl=TTL_SECONDS)
        except StateUnavailable:
            log.warning("state store down; answering passively without retry bookkeeping")
        return True

    async def lost_answer(self, key: str) -> str | None:
        """A retry: the earlier passive answer to send again (once), or None."""
        try:
            if await self._state.claim(f"{self._prefix}:route:{key}", ttl=TTL_SECONDS):
                return None  # the original has not answered yet and now will not do so passively
            passive = await self._state.get(f"{self._prefix}:passive:{key}")
            if passive is None:
                return None
            if not await self._state.claim(f"{self._prefix}:resent:{key}", ttl=TTL_SECONDS):
                return None
        except StateUnavailable:
            return None
        return str(passive["text"])
