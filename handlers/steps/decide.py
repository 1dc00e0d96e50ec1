"""Step: ask the answer engine, with the conversation's pending clarify choices."""

from __future__ import annotations

import logging

from handlers.live_knowledge import LiveKnowledge
from handlers.state import StateStore, StateUnavailable
from handlers.turn import ConversationState, Turn

log = logging.getLogger(__name__)


class Decide:
    """Loads the conversation state and gets the engine's decision on the masked text."""

    name = "decide"

    def __init__(self, knowledge: LiveKnowledge, state: StateStore, *, decide_chars: int) -> None:
        self.knowledge = knowledge
        self.state = state
        self.decide_chars = decide_chars

    async def __call__(self, turn: Turn) -> None:
        if turn.finished:
            return
        assert turn.account is not None
        try:
            turn.state = ConversationState.from_json(await self.state.get(turn.session_key))
        except StateUnavailable:
            log.warning("state store down; deciding without the conversation's pending choices")
        turn.decision = await self.knowledge.engine.decide(
            turn.masked_text[: self.decide_chars],
            department=turn.account.department,
            pending=turn.state.pending,
        )
