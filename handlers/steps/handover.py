"""Step: open a ticket when a human must answer, and put the conversation in human mode."""

from __future__ import annotations

import asyncio

from handlers.compose import Reply
from handlers.texts import MOVE_TO_PRIVATE
from handlers.tickets.opening import TicketOpener
from handlers.turn import Turn
from knowledge_base.models import TicketKind

_INTENT_KINDS = {"human": TicketKind.HUMAN_REQUEST, "complaint": TicketKind.COMPLAINT}


def ticket_kind(turn: Turn) -> TicketKind | None:
    """Why this turn needs a human, if it does."""
    if turn.ticket_kind is not None:
        return TicketKind(turn.ticket_kind)
    decision = turn.decision
    if decision is None or not decision.handover:
        return None
    if decision.intent in _INTENT_KINDS:
        return _INTENT_KINDS[decision.intent]
    if decision.kind == "route":
        return TicketKind.UNANSWERED  # the account's own department's business, not in the KB
    return TicketKind.HUMAN_REQUEST


class HandOver:
    """Creates (or reuses) the conversation's open ticket for the account's department."""

    name = "handover"

    def __init__(self, opener: TicketOpener) -> None:
        self.opener = opener

    async def __call__(self, turn: Turn) -> None:
        if turn.finished and turn.ticket_kind is None:
            return  # settled earlier with nothing for a human (a welcome, an empty message …)
        kind = ticket_kind(turn)
        if kind is None:
            return
        message = turn.message
        if message.shared_chat:
            # A ticket here would be the whole group's, and its answer read by everyone.
            link = message.private_link
            where = f"点击 {link} " if link else "点击我的头像"
            turn.settle(Reply(text=MOVE_TO_PRIVATE.format(where=where)), "moved_private")
            return
        turn.ticket_kind = kind.value
        if not turn.spooled:  # a spooled turn gets its ticket when the spool is written
            turn.ticket_id = await asyncio.to_thread(self.opener.open_for, turn, kind)
