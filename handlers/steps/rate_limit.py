"""Step: over the rate limit a sender is asked to wait; the message is stored and ticketed."""

from __future__ import annotations

import logging

from handlers.compose import Reply
from handlers.state import StateStore, StateUnavailable
from handlers.texts import RATE_LIMITED
from handlers.turn import Turn
from knowledge_base.models import TicketKind

log = logging.getLogger(__name__)


class RateLimit:
    """At most `per_minute` messages per sender and account each minute are answered by the bot.

    The rest are not decided (that is what the limit protects) but are not dropped either: the
    conversation's ticket (one per conversation, reused) hands them to a human.
    """

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
            if not m.shared_chat:  # a group's ticket would be answered to the whole group
                turn.ticket_kind = TicketKind.UNANSWERED.value
