"""The whole conversation pipeline on the sample county, on SQLite+memory and PostgreSQL+Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import build_runtime
from bot.console.users import create_user, set_active, set_password
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.messages import IncomingMessage
from handlers.texts import BACK_TO_BOT, EMERGENCY, EMPTY, HUMAN_ACK, MEDIA, RATE_LIMITED, WELCOME
from handlers.turn import Turn
from knowledge_base.activity import PostRow, record_post
from knowledge_base.content import EntryContent
from knowledge_base.models import Conversation, ConversationMode, Direction, Message, Ticket
from knowledge_base.staff import StaffRow, upsert_staff
from knowledge_base.workflow import get_entry, publish, retire, save_draft, submit_for_review
from nlu.vectors import forget_memory
from tests.live_server import county_database

Ask = Callable[..., Awaitable[Turn]]


def answer_of(runtime: Runtime, code: str) -> str:
    with runtime.database.session() as session:
        version = get_entry(session, code=code).live_version
        assert version is not None
        return version.answer


def stored(runtime: Runtime, direction: Direction) -> list[Message]:
    with runtime.database.session() as session:
        return list(
            session.scalars(
                select(Message).where(Message.direction == direction).order_by(Message.id)
            )
        )


def tickets(runtime: Runtime) -> list[Ticket]:
    with runtime.database.session() as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.id)))


async def test_a_question_is_answered_with_the_entry_text_and_both_sides_stored(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("社保卡丢了怎么补办")
    assert turn.reply is not None
    assert turn.reply.text == answer_of(runtime, "SB-0001")
    assert [m.text for m in stored(runtime, Direction.IN)] == ["社保卡丢了怎么补办"]
    out = stored(runtime, Direction.OUT)
    assert out[0].entry_code == "SB-0001" and out[0].decision == "answer"


async def test_id_and_phone_numbers_are_masked_in_what_is_stored(
    ask: Ask, runtime: Runtime
) -> None:
    await ask("我的身份证号是330102199001011234，电话13812345678，社保卡丢了怎么补办")
    text = stored(runtime, Direction.IN)[0].text
    assert "330102199001011234" not in text and "13812345678" not in text
    assert "社保卡丢了怎么补办" in text


async def test_platform_retries_of_one_message_are_handled_once(ask: Ask, runtime: Runtime) -> None:
    turns = await asyncio.gather(*(ask("身份证丢了怎么补办", external_id="m-1") for _ in range(3)))
    assert sum(1 for t in turns if t.reply is not None) == 1
    assert len(stored(runtime, Direction.IN)) == 1


async def test_a_follow_shows_the_welcome_and_media_get_a_polite_text(ask: Ask) -> None:
    welcome = await ask("", kind="subscribe")
    assert welcome.reply is not None and welcome.reply.text == WELCOME.format(account="云溪发布")
    image = await ask("", kind="image")
    assert image.reply is not None and image.reply.text == MEDIA


@pytest.mark.parametrize("text", ["", "   ", "😀😀🙏", "？？？！"])
async def test_empty_or_symbol_only_text_gets_a_prompt(ask: Ask, text: str) -> None:
    turn = await ask(text)
    assert turn.reply is not None and turn.reply.text == EMPTY


async def test_very_long_text_is_stored_whole_and_answered(ask: Ask, runtime: Runtime) -> None:
    letter = "社保卡丢了怎么补办" + "啊" * 5000
    turn = await ask(letter)
    assert turn.reply is not None and turn.reply.text
    assert len(stored(runtime, Direction.IN)[0].text) == len(letter)


async def test_traditional_characters_get_the_same_answer(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("社保卡丟了怎麼補辦")
    assert turn.reply is not None and turn.reply.text == answer_of(runtime, "SB-0001")


async def test_over_the_rate_limit_a_wait_message_and_a_ticket_for_a_human(
    ask: Ask, runtime: Runtime
) -> None:
    limit = runtime.settings.pipeline.rate_limit_per_minute
    for n in range(limit):
        await ask(f"你好{n}")
    assert tickets(runtime) == []
    turn = await ask("社保卡丢了怎么补办")
    assert turn.reply is not None and turn.reply.text == RATE_LIMITED
    assert len(stored(runtime, Direction.IN)) == limit + 1
    # The message the bot did not decide is a human's to answer, not silently dropped.
    [ticket] = tickets(runtime)
    assert (ticket.kind.value, ticket.question) == ("rate_limited", "社保卡丢了怎么补办")
    again = await ask("还有一个问题")
    assert again.reply is not None and again.reply.text == RATE_LIMITED
    assert len(tickets(runtime)) == 1  # a flood makes one ticket, not one per message
    other = await ask("社保卡丢了怎么补办", citizen="someone-else")
    assert other.reply is not None and other.reply.text == answer_of(runtime, "SB-0001")


async def test_asking_for_a_human_opens_a_ticket_and_the_bot_goes_quiet(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("转人工")
    assert turn.reply is not None and turn.reply.handover
    [ticket] = tickets(runtime)
    assert (ticket.kind.value, ticket.channel, ticket.status.value) == (
        "human_request",
        "web",
        "open",
    )
    with runtime.database.session() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.mode is ConversationMode.HUMAN
        assert ticket.department_id == conversation.account.department_id
    first = await ask("社保卡丢了怎么补办")
    assert first.reply is not None and first.reply.text == HUMAN_ACK
    second = await ask("还在吗")
    assert second.reply is None  # acknowledged once; the human owns the conversation
    assert len(stored(runtime, Direction.IN)) == 3
    assert len(tickets(runtime)) == 1


async def test_a_citizen_can_ask_the_bot_again_while_the_ticket_stays_open(
    ask: Ask, runtime: Runtime
) -> None:
    await ask("转人工")
    waiting = await ask("社保卡丢了怎么补办")
    assert waiting.reply is not None and waiting.reply.text == HUMAN_ACK
    back = await ask("退出人工")
    assert back.reply is not None and back.reply.text == BACK_TO_BOT
    answered = await ask("社保卡丢了怎么补办")
    assert answered.reply is not None and answered.reply.text == answer_of(runtime, "SB-0001")
    [ticket] = tickets(runtime)
    assert ticket.status.value == "open"  # staff still answer what was left for them


async def test_an_emergency_during_a_hand_over_still_gets_the_emergency_numbers(
    ask: Ask, runtime: Runtime
) -> None:
    await ask("转人工")
    for text in ("我不想活了", "我家著火了"):  # every time, not once per acknowledgement window
        turn = await ask(text)
        assert turn.reply is not None and turn.reply.text == EMERGENCY


async def test_a_complaint_is_handed_over_as_a_complaint(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("我要投诉，窗口工作人员态度很差")
    assert turn.reply is not None and turn.reply.handover
    assert [t.kind.value for t in tickets(runtime)] == ["complaint"]


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("工厂偷排污水，河水都黑了", "市生态环境局云溪分局"),
        ("房产证什么时候能办下来", "云溪县自然资源和规划局"),
        ("小区物业不作为怎么办", "云溪县住房和城乡建设局"),
    ],
)
async def test_a_matter_without_an_entry_is_referred_to_the_county_unit_in_charge(
    ask: Ask, text: str, department: str
) -> None:
    turn = await ask(text)
    assert turn.decision is not None and turn.decision.kind == "route"
    assert turn.decision.referral is not None and turn.decision.referral.name == department
    assert turn.reply is not None and department in turn.reply.text


async def test_abuse_gets_a_warning_and_is_recorded_without_an_answer(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("你们这帮傻逼")
    assert turn.reply is not None and "文明" in turn.reply.text
    assert stored(runtime, Direction.OUT)[0].intent == "abuse"


async def test_a_failing_step_still_answers_and_tickets_the_message(
    ask: Ask, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(runtime.knowledge.engine, "decide", broken)
    turn = await ask("社保卡丢了怎么补办")
    assert turn.reply is not None and "12345" in turn.reply.text
    assert [t.kind.value for t in tickets(runtime)] == ["unanswered"]
    assert len(stored(runtime, Direction.IN)) == 1


async def test_unknown_account_is_refused_before_anything_is_stored(
    ask: Ask, runtime: Runtime
) -> None:
    from handlers.pipeline import UnknownAccount

    with pytest.raises(UnknownAccount):
        await ask("你好", account="no-such-account")
    assert stored(runtime, Direction.IN) == []


async def test_published_edited_and_retired_entries_change_answers_without_restart(
    ask: Ask, runtime: Runtime
) -> None:
    question = "云溪县图书馆周一开放吗？"
    embedder = runtime.knowledge.engine.embedder  # type: ignore[attr-defined]
    forget_memory()  # as after a restart: what was encoded before is only in the database
    encoded_before = embedder.encoded_total
    with runtime.database.session() as session:
        save_draft(
            session,
            code="WH-0001",
            department="zfb",
            author="editor",
            content=EntryContent(
                question=question, answer="县图书馆周一闭馆，周二至周日9:00-17:00开放。"
            ),
        )
        submit_for_review(session, code="WH-0001", actor="editor")
        publish(session, code="WH-0001", reviewer="reviewer")
    assert await runtime.knowledge.refresh_async()
    # Only the new entry's two texts were encoded (its question, and its question with its
    # answer as a passage); the county's other 500 vectors came from the database.
    assert embedder.encoded_total == encoded_before + 2
    turn = await ask(question)
    assert turn.reply is not None and turn.reply.text.startswith("县图书馆周一闭馆")
    reworded = await ask("县图书馆星期一开不开门", citizen="citizen-3")
    assert reworded.reply is not None
    assert reworded.reply.entry_code == "WH-0001" or "WH-0001" in [
        c.code for c in reworded.reply.choices
    ]
    with runtime.database.session() as session:
        retire(session, code="WH-0001", actor="reviewer", reason="场馆改建")
    await runtime.knowledge.refresh_async()
    after = await ask(question, citizen="citizen-2")
    assert after.reply is not None and not after.reply.text.startswith("县图书馆周一闭馆")


async def test_engine_reloads_only_when_the_knowledge_base_changed(runtime: Runtime) -> None:
    reloads = runtime.knowledge.reloads
    assert not await runtime.knowledge.refresh_async()
    assert runtime.knowledge.reloads == reloads
    with runtime.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0


async def test_user_roster_and_post_changes_leave_the_engine_loaded(runtime: Runtime) -> None:
    await runtime.knowledge.refresh_async()
    reloads = runtime.knowledge.reloads
    with runtime.database.session() as session:
        create_user(
            session,
            username="new-editor",
            password="a-long-passphrase",
            role="editor",
            department="gaj",
            actor="admin",
        )
        set_password(session, username="new-editor", password="another-passphrase", actor="admin")
        set_active(session, username="new-editor", active=False, actor="admin")
        upsert_staff(
            session, StaffRow(code="gaj-night", department="gaj", name="夜班民警"), actor="admin"
        )
        record_post(
            session,
            PostRow(account="yunxi-gongan-wechat", posted_at=runtime.clock.now(), title="通报"),
            source="cli",
            actor="editor",
        )
    assert not await runtime.knowledge.refresh_async(), "nothing an answer depends on changed"
    assert runtime.knowledge.reloads == reloads
    # A change to what citizens are told still reloads.
    with runtime.database.session() as session:
        retire(session, code="SB-0001", actor="reviewer", reason="政策调整")
    assert await runtime.knowledge.refresh_async()
    assert runtime.knowledge.reloads == reloads + 1


async def test_an_unreachable_redis_does_not_stop_answers(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'r.db'}", redis_url="redis://127.0.0.1:1/0"
    )
    database = county_database(settings)
    bot = build_runtime(settings, database=database)
    await bot.knowledge.refresh_async()
    turn = await bot.handle(
        IncomingMessage(
            channel="web", account="yunxi-fabu-web", citizen_id="c", text="社保卡丢了怎么补办"
        )
    )
    assert turn.reply is not None and turn.reply.text == answer_of(bot, "SB-0001")
    assert len(stored(bot, Direction.IN)) == 1
    await bot.state.close()
    database.dispose()
