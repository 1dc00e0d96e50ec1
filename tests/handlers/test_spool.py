"""A database outage loses nothing: accepted messages are answered, spooled, and written later."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.runtime import Runtime
from handlers.spool_replay import replay
from handlers.turn import Turn
from knowledge_base.models import Direction, Message, Ticket

Ask = Callable[..., Awaitable[Turn]]


async def test_messages_during_a_database_outage_are_answered_and_written_later(
    ask: Ask, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*_: object, **__: object) -> None:
        raise OperationalError("connect", {}, ConnectionRefusedError("database is down"))

    # The database goes away: every transaction fails.
    monkeypatch.setattr(runtime.database, "connection", unreachable)
    monkeypatch.setattr(runtime.database, "session", unreachable)
    answered = await ask("社保卡丢了怎么补办", citizen="c1", external_id="wx-1")
    handed_over = await ask("转人工", citizen="c2")
    assert answered.reply is not None and "挂失" in answered.reply.text
    assert handed_over.reply is not None and handed_over.reply.handover
    assert answered.spooled and runtime.spool.path.is_file()

    monkeypatch.undo()  # the database is back
    assert replay(runtime.spool, runtime.tickets) == 2
    assert not runtime.spool.path.exists()
    with runtime.database.session() as session:
        incoming = list(
            session.scalars(select(Message.text).where(Message.direction == Direction.IN))
        )
        replies = list(
            session.scalars(select(Message.text).where(Message.direction == Direction.OUT))
        )
        [ticket] = session.scalars(select(Ticket)).all()
    assert incoming == ["社保卡丢了怎么补办", "转人工"]
    assert answered.reply.text in replies
    assert ticket.kind.value == "human_request" and ticket.first_response_due is not None
    assert replay(runtime.spool, runtime.tickets) == 0  # nothing is written twice
