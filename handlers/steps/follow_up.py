"""Step: remember clarify choices and the last answer for the next message, and notice when
clarifying is not helping."""

from __future__ import annotations

import logging

from handlers.state import StateStore, StateUnavailable
from handlers.turn import ConversationState, Turn
from knowledge_base.clock import CountyClock
from knowledge_base.models import TicketKind
from nlu.decision import Decision
from nlu.follow_ups import joined, remember
from nlu.intents import without_courtesy
from nlu.normalize import match_form

log = logging.getLogger(__name__)

# A message this short is a topic word (社保, 公积金), not a question that clarifying failed on.
TOPIC_WORD_CHARS = 5


def clarify_missed(pending: tuple[str, ...], text: str, decision: Decision) -> bool:
    """Whether `decision` on `text` shows that the choices `pending` did not help: a question
    that still finds no entry, or choices on the same matter again. Another bare topic word, or
    choices on another matter altogether, is a new start."""
    if not pending or decision.kind not in ("clarify", "fallback", "route"):
        return False
    if len(match_form(text)) <= TOPIC_WORD_CHARS:
        return False
    return decision.kind != "clarify" or bool(set(decision.pending) & set(pending))


class FollowUp:
    """Stores the pending choices and the answered entry; repeated misses after a clarify hand
    the citizen to a human."""

    name = "follow_up"

    def __init__(
        self,
        state: StateStore,
        *,
        misses_for_handover: int,
        ttl: float,
        clock: CountyClock,
        answer_at: float,
    ) -> None:
        self.state = state
        self.misses_for_handover = misses_for_handover
        self.ttl = ttl
        self.clock = clock
        self.answer_at = answer_at

    async def __call__(self, turn: Turn) -> None:
        decision = turn.decision
        if decision is None:
            return
        before = turn.state
        missed = clarify_missed(before.pending, turn.masked_text, decision)
        asked = turn.masked_text
        if turn.in_context and before.last is not None:
            asked = joined(before.last.topic, without_courtesy(asked))
        last = remember(
            before.last,
            decision,
            now=self.clock.now().timestamp(),
            answer_at=self.answer_at,
            asked=asked,
        )
        pending = decision.pending
        if decision.kind == "intent" and decision.handover:
            # 转人工 after choices: they stay on offer (a number picks one while staff are away).
            pending = before.pending
        after = ConversationState(
            pending=pending,
            clarify_misses=before.clarify_misses + 1 if missed else 0,
            last=last,
        )
        if after.clarify_misses >= self.misses_for_handover:
            turn.ticket_kind = TicketKind.CLARIFY_FAILED.value
            after = ConversationState(last=last)
        turn.state = after
        if after == before:
            return  # most messages start and end with no pending choice: save a round trip
        try:
            await self.state.put(turn.session_key, after.to_json(), ttl=self.ttl)
        except StateUnavailable:
            log.debug("state store down; the context of this turn is not kept")
