"""Opening tickets: one open ticket per conversation, even when messages arrive together."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.runtime import Runtime
from handlers.turn import Turn
from knowledge_base.models import Ticket, TicketKind

Ask = Callable[..., Awaitable[Turn]]


async def test_messages_handed_over_at_the_same_moment_share_one_ticket(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("社保卡丢了怎么补办")
    assert turn.ticket_id is None and turn.conversation_id is not None
    # Eight workers hand the same conversation over at once (a burst of messages, several
    # server processes): staff must get one ticket, not eight sets of alerts.
    opened = await asyncio.gather(
        *(
            asyncio.to_thread(runtime.tickets.open_for, turn, TicketKind.UNANSWERED)
            for _ in range(8)
        )
    )
    assert len(set(opened)) == 1
    with runtime.database.session() as session:
        assert len(session.scalars(select(Ticket)).all()) == 1
