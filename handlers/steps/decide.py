"""Step: ask the answer engine, with the conversation's pending choices and last answer."""

from __future__ import annotations

import logging

from handlers.live_knowledge import LiveKnowledge
from handlers.state import StateStore, StateUnavailable
from handlers.turn import ConversationState, Turn
from knowledge_base.clock import CountyClock
from nlu.follow_ups import decide_in_context

log = logging.getLogger(__name__)


class Decide:
    """Loads the conversation state and gets the engine's decision on the masked text; a
    follow-up within `follow_up_seconds` of an answer is decided in its context."""

    name = "decide"

    def __init__(
        self,
        knowledge: LiveKnowledge,
        state: StateStore,
        *,
        decide_chars: int,
        clock: CountyClock,
        follow_up_seconds: float,
        follow_up_answer_at: float,
    ) -> None:
        self.knowledge = knowledge
        self.state = state
        self.decide_chars = decide_chars
        self.clock = clock
        self.follow_up_seconds = follow_up_seconds
        self.follow_up_answer_at = follow_up_answer_at

    async def __call__(self, turn: Turn) -> None:
        if turn.finished:
            return
        assert turn.account is not None
        try:
            turn.state = ConversationState.from_json(await self.state.get(turn.session_key))
        except StateUnavailable:
            log.debug("state store down; deciding without the conversation's context")
        last = turn.state.last
        now = self.clock.now().timestamp()
        if last is not None and not last.fresh(now, self.follow_up_seconds):
            last = None
        decided = await decide_in_context(
            self.knowledge.engine,
            turn.masked_text[: self.decide_chars],
            last=last,
            answer_at=self.follow_up_answer_at,
            department=turn.account.department,
            pending=turn.state.pending,
        )
        turn.decision = decided.decision
        turn.in_context = decided.in_context
