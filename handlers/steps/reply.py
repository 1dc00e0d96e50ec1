"""Steps: compose the citizen's reply from the decision, and store it."""

from __future__ import annotations

import asyncio

from handlers.compose import Reply, compose_reply
from handlers.records import store_outgoing
from handlers.texts import CLARIFY_HANDOVER
from handlers.turn import Turn
from knowledge_base.db import Database


class ComposeReply:
    """Turns the decision (or a hand-over) into the channel-neutral reply."""

    name = "compose"

    async def __call__(self, turn: Turn) -> None:
        if turn.finished or turn.decision is None:
            return
        if turn.ticket_id is not None and not turn.decision.handover:
            # Clarifying did not help twice: a human takes over.
            turn.reply = Reply(text=CLARIFY_HANDOVER, handover=True)
        else:
            turn.reply = compose_reply(turn.decision)


class StoreReply:
    """Stores what the citizen was told, with the decision behind it."""

    name = "store_reply"

    def __init__(self, database: Database) -> None:
        self.database = database

    def _store(self, turn: Turn) -> None:
        assert turn.reply is not None and turn.conversation_id is not None
        d = turn.decision
        with self.database.connection() as connection:
            stored = store_outgoing(
                connection,
                conversation_id=turn.conversation_id,
                text=turn.reply.text,
                decision=d.kind if d else turn.note or None,
                intent=d.intent if d else None,
                entry_code=d.item.code if d and d.item else None,
                confidence=d.confidence if d else None,
            )
            turn.reply_id = stored

    async def __call__(self, turn: Turn) -> None:
        if turn.reply is not None and turn.conversation_id is not None:
            await asyncio.to_thread(self._store, turn)
