"""Step: over the rate limit a sender is asked to wait; the message is stored and ticketed."""

from __future__ import annotations

from limits import RateLimitItem, RateLimitItemPerMinute

from handlers.compose import Reply
from handlers.rate_limits import Limiter
from handlers.texts import RATE_LIMITED
from handlers.turn import Turn
from knowledge_base.models import TicketKind


class RateLimit:
    """At most `per_minute` messages per sender and account in any minute are answered by the
    bot (a store that is down lets them through, see `handlers.rate_limits`).

    The rest are not decided (that is what the limit protects) but are not dropped either: the
    conversation's ticket (one per conversation, reused) hands them to a human.
    """

    name = "rate_limit"

    def __init__(self, limiter: Limiter, *, per_minute: int) -> None:
        self.limiter = limiter
        self.rule: RateLimitItem = RateLimitItemPerMinute(per_minute)

    async def __call__(self, turn: Turn) -> None:
        m = turn.message
        if not await self.limiter.allow(self.rule, "sender", m.channel, m.account, m.citizen_id):
            turn.settle(Reply(text=RATE_LIMITED), "rate_limited")
            if not m.shared_chat:  # a group's ticket would be answered to the whole group
                turn.ticket_kind = TicketKind.RATE_LIMITED.value
