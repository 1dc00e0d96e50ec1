"""The pipeline's error hook: the citizen still gets a polite answer and the message a ticket."""

from __future__ import annotations

import asyncio
import logging

from handlers.compose import Reply
from handlers.texts import BUSY
from handlers.tickets.opening import TicketOpener
from handlers.turn import Turn
from knowledge_base.conversations import store_outgoing
from knowledge_base.models import TicketKind

log = logging.getLogger(__name__)


class TicketOnError:
    """Answers "busy" and, when the message was stored, opens a ticket so a human answers it."""

    def __init__(self, opener: TicketOpener) -> None:
        self.opener = opener

    def _rescue(self, turn: Turn) -> None:
        assert turn.conversation_id is not None
        if not turn.message.shared_chat:  # a group's ticket would be answered to the group
            turn.ticket_id = self.opener.open_for(turn, TicketKind.UNANSWERED)
        with self.opener.database.session() as session:
            store_outgoing(
                session, conversation_id=turn.conversation_id, text=BUSY, decision="error"
            )

    async def __call__(self, turn: Turn, error: Exception) -> Reply:
        if turn.account is not None and turn.conversation_id is not None:
            try:
                await asyncio.to_thread(self._rescue, turn)
            except Exception:
                log.exception(
                    "could not open a rescue ticket for conversation %s", turn.conversation_id
                )
        return Reply(text=BUSY)
