"""Step: a sender over the rate limit gets a polite wait message (the message is still stored)."""

from __future__ import annotations

import logging

from handlers.compose import Reply
from handlers.state import StateStore, StateUnavailable
from handlers.texts import RATE_LIMITED
from handlers.turn import Turn

log = logging.getLogger(__name__)


class RateLimit:
    """At most `per_minute` messages per sender and account each minute are answered."""

    name = "rate_limit"

    def __init__(self, state: StateStore, *, per_minute: int) -> None:
        self.state = state
        self.per_minute = per_minute

    async def __call__(self, turn: Turn) -> None:
        m = turn.message
        try:
            count = await self.state.hit(f"rate:{m.channel}:{m.account}:{m.citizen_id}", window=60)
        except StateUnavailable:
            log.warning("state store down; rate limit not applied")
            return
        if count > self.per_minute:
            turn.settle(Reply(text=RATE_LIMITED), "rate_limited")
