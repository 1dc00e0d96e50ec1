"""Steps: compose the citizen's reply from the decision, and store it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from handlers.compose import Reply, compose_reply
from handlers.deliveries import LEASE
from handlers.spool import Spool, SpooledTurn
from handlers.texts import CHOICES_STILL_OPEN, CLARIFY_HANDOVER
from handlers.turn import Turn
from knowledge_base.conversations import store_outgoing
from knowledge_base.db import Database
from knowledge_base.models import Delivery
from knowledge_base.models.base import utcnow


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
            if turn.decision.handover and turn.decision.kind == "intent" and turn.state.pending:
                # The choices offered before stay open in human mode (`FollowUp`).
                turn.reply = replace(turn.reply, text=turn.reply.text + CHOICES_STILL_OPEN)


class StoreReply:
    """Stores what the citizen was told, with the decision behind it (or spools the whole turn
    when the database was unreachable)."""

    name = "store_reply"

    def __init__(self, database: Database, spool: Spool) -> None:
        self.database = database
        self.spool = spool

    def _spool(self, turn: Turn) -> None:
        assert turn.account is not None
        m = turn.message
        self.spool.append(
            SpooledTurn(
                channel=m.channel,
                account_id=turn.account.id,
                department_id=turn.account.department_id,
                department_code=turn.account.department_code,
                citizen_id=m.citizen_id,
                external_id=m.external_id,
                kind=m.kind,
                masked_text=turn.masked_text,
                received_at=m.received_at.isoformat(),
                reply_text=turn.reply.text if turn.reply else None,
                decision=turn.decision.kind if turn.decision else turn.note or None,
                ticket_kind=turn.ticket_kind,
            )
        )

    def _store(self, turn: Turn) -> None:
        assert turn.reply is not None and turn.conversation_id is not None
        d = turn.decision
        # A pushed reply counts as sent only once the platform says so; should this process
        # stop first, the redelivery job finds it when the lease has passed.
        pushed = turn.message.reply_pushed
        with self.database.connection() as connection:
            stored = store_outgoing(
                connection,
                conversation_id=turn.conversation_id,
                text=turn.reply.text,
                decision=d.kind if d else turn.note or None,
                intent=d.intent if d else None,
                entry_code=d.item.code if d and d.item else None,
                confidence=d.confidence if d else None,
                delivery=Delivery.PENDING if pushed else Delivery.SENT,
                retry_at=utcnow() + LEASE if pushed else None,
            )
            turn.reply_id = stored

    async def __call__(self, turn: Turn) -> None:
        if turn.spooled:
            await asyncio.to_thread(self._spool, turn)
        elif turn.reply is not None and turn.conversation_id is not None:
            await asyncio.to_thread(self._store, turn)
