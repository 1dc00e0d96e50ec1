"""Votes on answers through the pipeline's runtime, on SQLite + memory and PostgreSQL + Redis."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.runtime import Runtime
from handlers.compose import HUMAN_KEYWORD, Reply
from handlers.feedback import ALREADY, NOTHING_TO_RATE, THANKS, WITH_STAFF
from handlers.turn import Turn
from knowledge_base.models import Ticket, TicketKind
from knowledge_base.models.feedback import AnswerFeedback

Ask = Callable[..., Awaitable[Turn]]


def votes(runtime: Runtime) -> list[tuple[str, int | None, bool, str]]:
    with runtime.database.session() as session:
        rows = session.scalars(select(AnswerFeedback).order_by(AnswerFeedback.id))
        return [(r.entry_code, r.entry_version, r.helpful, r.channel) for r in rows]


async def rated(runtime: Runtime, helpful: bool, reply_id: int | None = None) -> Reply:
    """citizen-1's vote on the web chat: 1 (helpful) or 0, on a reply or the latest answer."""
    return await runtime.feedback.rate(
        channel="web",
        account="yunxi-fabu-web",
        citizen_id="citizen-1",
        helpful=helpful,
        reply_id=reply_id,
    )


async def rate(runtime: Runtime, helpful: bool, reply_id: int | None = None) -> str:
    return (await rated(runtime, helpful, reply_id)).text


async def test_one_vote_per_answer_with_its_entry_version(ask: Ask, runtime: Runtime) -> None:
    answer = await ask("社保卡丢了怎么补办")
    assert await rate(runtime, True, answer.reply_id) == THANKS
    assert await rate(runtime, False, answer.reply_id) == ALREADY
    assert votes(runtime) == [("SB-0001", 1, True, "web")]


async def test_unhelpful_offers_choices_the_next_number_picks(ask: Ask, runtime: Runtime) -> None:
    answer = await ask("社保卡丢了怎么补办")
    offer = await rated(runtime, False, answer.reply_id)
    assert offer.choices and "SB-0001" not in [c.code for c in offer.choices]
    # While the choices wait for a number, a bare 1/0 is not a vote on the old answer.
    assert await rate(runtime, True) == NOTHING_TO_RATE
    picked = await ask("2")
    assert picked.decision is not None and picked.decision.item is not None
    assert picked.decision.item.code == offer.choices[1].code
    # The picked answer is the latest one: a bare vote now rates it.
    assert await rate(runtime, True) == THANKS
    assert [v[0] for v in votes(runtime)] == ["SB-0001", offer.choices[1].code]


async def test_only_answers_from_entries_can_be_rated(ask: Ask, runtime: Runtime) -> None:
    greeting = await ask("你好")
    assert await rate(runtime, True, greeting.reply_id) == NOTHING_TO_RATE
    assert await rate(runtime, True, 10**9) == NOTHING_TO_RATE
    assert votes(runtime) == []


async def test_a_second_unhelpful_answer_goes_to_a_human(ask: Ask, runtime: Runtime) -> None:
    answer = await ask("社保卡丢了怎么补办")
    offer = await rated(runtime, False, answer.reply_id)
    picked = await ask("1")
    assert picked.decision is not None and picked.decision.item is not None
    assert picked.decision.item.code == offer.choices[0].code
    handed = await rated(runtime, False, picked.reply_id)
    assert handed.handover and "人工" in handed.text
    with runtime.database.session() as session:
        [ticket] = session.scalars(select(Ticket))
        assert ticket.kind is TicketKind.CLARIFY_FAILED and ticket.channel == "web"
        assert ticket.question == "社保卡丢了怎么补办"  # not the "1" that picked the choice
    # The conversation is a human's now: the bot only acknowledges.
    later = await ask("还在吗")
    assert later.decision is None


async def test_the_ticket_carries_the_question_when_the_page_was_opened_again(
    ask: Ask, runtime: Runtime
) -> None:
    answer = await ask("社保卡丢了怎么补办")
    await rated(runtime, False, answer.reply_id)
    # The citizen reloads the chat page (a subscribe event, no text) and picks a choice.
    await ask("", kind="subscribe")
    picked = await ask("1")
    handed = await rated(runtime, False, picked.reply_id)
    assert handed.handover
    with runtime.database.session() as session:
        [ticket] = session.scalars(select(Ticket))
        assert ticket.kind is TicketKind.CLARIFY_FAILED
        assert ticket.question == "社保卡丢了怎么补办"  # the 留言 staff read, not the event's ""


async def test_unhelpful_after_a_follow_up_offers_what_fits_the_whole_question(
    ask: Ask, runtime: Runtime
) -> None:
    await ask("身份证丢了怎么补办")
    follow_up = await ask("要多少钱？")
    assert follow_up.in_context and follow_up.decision is not None
    assert follow_up.decision.item is not None
    answered = follow_up.decision.item.code
    offer = await rated(runtime, False, follow_up.reply_id)
    engine = runtime.knowledge.engine
    limit = len(offer.choices)
    whole = await engine.alternatives(
        "身份证丢了补办 要多少钱", exclude=frozenset({answered}), limit=limit
    )
    bare = await engine.alternatives("要多少钱？", exclude=frozenset({answered}), limit=limit)
    # The choices fit 身份证丢了 … 要多少钱, not 要多少钱 alone.
    assert [c.code for c in whole] != [c.code for c in bare]
    assert [c.code for c in offer.choices] == [c.code for c in whole]


async def test_in_human_mode_the_unhelpful_choices_can_be_picked(
    ask: Ask, runtime: Runtime
) -> None:
    answer = await ask("社保卡丢了怎么补办")
    handover = await ask("转人工")
    assert handover.reply is not None and handover.reply.handover
    offer = await rated(runtime, False, answer.reply_id)
    assert offer.choices
    # Already with staff: the offer says they will reply, not to ask for them.
    assert HUMAN_KEYWORD not in offer.text and "工作人员将在规定时限内在此回复您" in offer.text
    picked = await ask("2")
    assert picked.decision is not None and picked.decision.item is not None
    assert picked.decision.item.code == offer.choices[1].code
    assert picked.reply is not None and picked.reply.entry_code == offer.choices[1].code
    # Unhelpful again: still with staff, not "handed over" a second time.
    again = await rated(runtime, False, picked.reply_id)
    assert again.text.endswith(WITH_STAFF) and HUMAN_KEYWORD not in again.text


async def test_asking_for_a_human_after_the_unhelpful_choices_keeps_them_open(
    ask: Ask, runtime: Runtime
) -> None:
    answer = await ask("社保卡丢了怎么补办")
    offer = await rated(runtime, False, answer.reply_id)
    assert offer.choices and HUMAN_KEYWORD in offer.text  # "如果都不是，请回复转人工"
    handover = await ask(HUMAN_KEYWORD)
    assert handover.reply is not None and handover.reply.handover
    assert "回复序号" in handover.reply.text  # the choices are still there while staff are away
    picked = await ask("2")
    assert picked.decision is not None and picked.decision.item is not None
    assert picked.reply is not None and picked.reply.entry_code == offer.choices[1].code
