"""Step: store the citizen's message (masked) before anything else can go wrong."""

from __future__ import annotations

import asyncio
import logging

from handlers.turn import Turn
from knowledge_base.conversations import store_incoming
from knowledge_base.db import Database
from knowledge_base.storable import unreachable

log = logging.getLogger(__name__)


class StoreIncoming:
    """Writes the message and learns whether a human owns the conversation."""

    name = "store_incoming"

    def __init__(self, database: Database) -> None:
        self.database = database

    def _store(self, turn: Turn) -> None:
        assert turn.account is not None
        m = turn.message
        stored = store_incoming(
            self.database,
            channel=m.channel,
            account_id=turn.account.id,
            citizen_id=m.citizen_id,
            external_id=m.external_id,
            kind=m.kind,
            masked_text=turn.masked_text,
            received_at=m.received_at,
        )
        turn.conversation_id = stored.conversation_id
        turn.human_mode = stored.human_mode
        turn.duplicate = stored.message_id is None

    async def __call__(self, turn: Turn) -> None:
        try:
            await asyncio.to_thread(self._store, turn)
        except Exception as exc:
            if not unreachable(exc):
                raise  # the database refused this message: spooling it would not help
            # The citizen is still answered; StoreReply spools the turn durably instead.
            log.warning("database unreachable; %s message goes to the spool", turn.message.channel)
            turn.spooled = True
