"""When clarifying counts as failed: a citizen who types topic words one after another gets
choices each time; one who keeps asking about the same matter without a match gets a person."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.runtime import Runtime
from handlers.texts import CLARIFY_HANDOVER
from handlers.turn import Turn
from knowledge_base.models import Ticket

Ask = Callable[..., Awaitable[Turn]]


def ticket_kinds(runtime: Runtime) -> list[str]:
    with runtime.database.session() as session:
        return [t.kind.value for t in session.scalars(select(Ticket).order_by(Ticket.id))]


async def test_topic_words_one_after_another_get_choices_not_a_hand_over(
    ask: Ask, runtime: Runtime
) -> None:
    for word in ("社保", "医保", "公积金", "户口"):
        turn = await ask(word)
        assert turn.reply is not None and turn.reply.text != CLARIFY_HANDOVER, word
        assert turn.reply.text.startswith("您是不是想问"), word
        assert not turn.reply.handover
    assert ticket_kinds(runtime) == []


async def test_asking_about_the_same_matter_again_without_a_match_reaches_a_person(
    ask: Ask, runtime: Runtime
) -> None:
    for text in ("老人的政策有哪些", "老年人有什么政策"):
        turn = await ask(text)
        assert turn.reply is not None and turn.reply.text.startswith("您是不是想问")
    turn = await ask("老人能享受哪些政策")
    assert turn.reply is not None and turn.reply.text == CLARIFY_HANDOVER
    assert ticket_kinds(runtime) == ["clarify_failed"]
