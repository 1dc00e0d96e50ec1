"""Writing spooled turns to the database once it answers again."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import DBAPIError

from handlers.records import store_incoming, store_outgoing
from handlers.spool import Spool, SpooledTurn
from handlers.tickets.opening import TicketOpener
from knowledge_base.models import TicketKind

log = logging.getLogger(__name__)


def _write(turn: SpooledTurn, opener: TicketOpener) -> None:
    database = opener.database
    stored = store_incoming(
        database,
        channel=turn.channel,
        account_id=turn.account_id,
        citizen_id=turn.citizen_id,
        external_id=turn.external_id,
        kind=turn.kind,
        masked_text=turn.masked_text,
        received_at=turn.received,
    )
    if stored.message_id is None:
        return  # written before (a replay interrupted half-way); the platform id proves it
    if turn.reply_text is not None:
        with database.connection() as connection:
            store_outgoing(
                connection,
                conversation_id=stored.conversation_id,
                text=turn.reply_text,
                decision=turn.decision,
            )
    if turn.ticket_kind is not None:
        opener.open(
            conversation_id=stored.conversation_id,
            account_id=turn.account_id,
            department_id=turn.department_id,
            department_code=turn.department_code,
            channel=turn.channel,
            kind=TicketKind(turn.ticket_kind),
            question=turn.masked_text,
            opened_at=turn.received,
        )


def replay(spool: Spool, opener: TicketOpener) -> int:
    """Write every pending spooled turn in order; stops at the first database failure."""
    written = 0
    for path, records in spool.pending():
        done = 0
        try:
            for record in records:
                _write(record, opener)
                done += 1
        finally:
            if done:
                spool.done(path, done)
                written += done
    return written


async def keep_replaying(spool: Spool, opener: TicketOpener, every: float) -> None:
    """Replay until cancelled; while the database is still down, try again later."""
    while True:
        await asyncio.sleep(every)
        try:
            written = await asyncio.to_thread(replay, spool, opener)
        except DBAPIError:
            continue
        except Exception:
            log.exception("spool replay failed")
            continue
        if written:
            log.warning("wrote %d messages accepted while the database was down", written)
