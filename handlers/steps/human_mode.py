"""Step: while a human owns the conversation the bot only acknowledges, now and then."""

from __future__ import annotations

from handlers.compose import Reply
from handlers.state import StateStore, StateUnavailable
from handlers.texts import HUMAN_ACK
from handlers.turn import Turn


class HumanMode:
    """Keeps the bot quiet during a hand-over, apart from an occasional acknowledgement."""

    name = "human_mode"

    def __init__(self, state: StateStore, *, ack_minutes: float) -> None:
        self.state = state
        self.ack_seconds = ack_minutes * 60

    async def __call__(self, turn: Turn) -> None:
        if turn.finished or not turn.human_mode:
            return
        try:
            acknowledge = await self.state.claim(f"ack:{turn.session_key}", ttl=self.ack_seconds)
        except StateUnavailable:
            acknowledge = True
        turn.reply = Reply(text=HUMAN_ACK) if acknowledge else None
        turn.note = "human_mode"
        turn.finished = True
