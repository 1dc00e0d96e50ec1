"""How a conversation flows on the sample county through the whole bot: what closes the matter
talked about, what a citizen already with staff is told, and a new matter after choices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from handlers.texts import ALREADY_WITH_BOT, ALREADY_WITH_STAFF
from handlers.turn import Turn
from knowledge_base.models import Ticket

Ask = Callable[..., Awaitable[Turn]]


@pytest.mark.parametrize("closing", ["谢谢", "再见"])
async def test_after_thanks_or_goodbye_the_next_message_is_read_afresh(
    ask: Ask, closing: str
) -> None:
    answer = await ask("身份证丢了怎么补办", citizen="closing")
    assert answer.decision is not None and answer.decision.item is not None
    # Without the closing word the same follow-up is read in the answer's context …
    await ask("身份证丢了怎么补办", citizen="continuing")
    continued = await ask("要多少钱", citizen="continuing")
    assert continued.in_context and continued.decision is not None
    assert continued.decision.item == answer.decision.item
    # … after it, the conversation starts again.
    await ask(closing, citizen="closing")
    fresh = await ask("要多少钱", citizen="closing")
    assert not fresh.in_context and fresh.decision is not None
    assert fresh.decision.item != answer.decision.item


@pytest.mark.parametrize("acknowledgement", ["好的", "知道了", "收到"])
async def test_an_acknowledgement_keeps_the_matter_for_the_next_question(
    ask: Ask, acknowledgement: str
) -> None:
    answer = await ask("身份证丢了怎么补办")
    assert answer.decision is not None and answer.decision.item is not None
    await ask(acknowledgement)
    continued = await ask("要多少钱")
    assert continued.in_context and continued.decision is not None
    assert continued.decision.item == answer.decision.item


@pytest.mark.parametrize("courtesy", ["谢谢，", "好的，", "收到！"])
async def test_thanks_in_front_of_a_question_asks_it_in_context(ask: Ask, courtesy: str) -> None:
    answer = await ask("身份证丢了怎么补办")
    assert answer.decision is not None and answer.decision.item is not None
    continued = await ask(f"{courtesy}那要多少钱")
    assert continued.in_context and continued.decision is not None
    assert continued.decision.item == answer.decision.item
    assert continued.reply is not None and "抱歉" not in continued.reply.text
    # Asked in the same message, the question keeps the matter open.
    again = await ask("网上能办吗")
    assert again.in_context


async def test_asking_for_a_human_again_says_they_are_queued_until_the_deadline(
    ask: Ask, runtime: Runtime
) -> None:
    await ask("转人工")
    await ask("社保卡丢了怎么补办")  # acknowledged: the acknowledgement window is used up
    with runtime.database.session() as session:
        [ticket] = session.scalars(select(Ticket))
        assert ticket.first_response_due is not None
        due = runtime.clock.local(ticket.first_response_due)
    for again in ("转人工", "我要人工服务"):  # every time, not once per acknowledgement window
        turn = await ask(again)
        assert turn.reply is not None
        assert turn.reply.text == ALREADY_WITH_STAFF.format(
            when=f"于{due.month}月{due.day}日{due:%H:%M}前"
        )
        assert "退出人工" in turn.reply.text
    with runtime.database.session() as session:
        assert len(session.scalars(select(Ticket)).all()) == 1


async def test_a_new_matter_right_after_choices_gets_its_own_choices(
    ask: Ask, runtime: Runtime
) -> None:
    offer = await ask("驾驶证")
    assert offer.reply is not None and len(offer.reply.choices) == 3
    offered = {c.code for c in offer.reply.choices}
    other = await ask("疫苗在哪打")
    assert not other.in_context and other.reply is not None
    alone = await runtime.knowledge.engine.decide("疫苗在哪打")
    assert [c.code for c in other.reply.choices] == [c.code for c in alone.candidates]
    assert not offered & {c.code for c in other.reply.choices}  # nothing of 驾驶证 pulled back


@pytest.mark.parametrize("back", ["退出人工", "取消人工"])
async def test_leaving_staff_when_talking_with_the_assistant_says_so(ask: Ask, back: str) -> None:
    await ask("身份证丢了怎么补办")
    turn = await ask(back)
    assert turn.reply is not None and turn.reply.text == ALREADY_WITH_BOT
    assert "智能助手" in turn.reply.text and "抱歉" not in turn.reply.text
    # The matter answered before is still the one a follow-up asks about.
    assert (await ask("要多少钱")).in_context


@pytest.mark.parametrize("typed", ["没帮助", "没有帮助"])
async def test_typed_unhelpful_offers_other_choices_like_the_button(ask: Ask, typed: str) -> None:
    answer = await ask("身份证丢了怎么补办")
    assert answer.decision is not None and answer.decision.item is not None
    offer = await ask(typed)
    assert offer.reply is not None and offer.reply.choices
    assert offer.reply.text.startswith("抱歉没有帮到您。您是不是想问")
    assert answer.decision.item.code not in {c.code for c in offer.reply.choices}
    picked = await ask("1")
    assert picked.decision is not None and picked.decision.item is not None
    assert picked.decision.item.code == offer.reply.choices[0].code
