"""Replies sent later (a staff member's answer) reach the citizen's chat, or fail quietly."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram import Update

from bot.channels.telegram.channel import TelegramChannel
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.service import AlertService
from handlers.alerts.settings import AlertSettings
from handlers.compose import Reply
from handlers.deliveries import Deliveries
from knowledge_base.clock import CountyClock
from knowledge_base.models import Conversation, Delivery, Direction, Message
from tests.bot.channels.telegram.conftest import ACCOUNT, TOKEN, Served, make_update, new_chat
from tests.live_server import free_port


@pytest.fixture
async def channel(served: Served) -> AsyncIterator[TelegramChannel]:
    """A second adapter on the served runtime, started in the test's own event loop."""
    adapter = TelegramChannel(
        served.runtime, served.runtime.settings.telegram, session_seconds=24 * 3600
    )
    await adapter.start()
    yield adapter
    await adapter.stop()


async def test_a_staff_reply_is_delivered_as_plain_text(
    channel: TelegramChannel, served: Served
) -> None:
    chat = new_chat()
    text = "您好，<b>补卡</b>请带*身份证*到2楼窗口，[详情](https://x.example)。"
    delivery = await channel.deliver(account=ACCOUNT, citizen_id=str(chat), reply=Reply(text=text))
    assert delivery.status == "sent"
    [sent] = served.api.sent_to(chat)
    assert sent.text == text and sent.parse_mode is None


async def test_a_long_reply_arrives_whole_in_several_messages(
    channel: TelegramChannel, served: Served
) -> None:
    chat = new_chat()
    text = "\n".join(f"第{n}条：请携带身份证原件到县行政服务中心办理。" for n in range(400))
    assert len(text) > 4096
    delivery = await channel.deliver(account=ACCOUNT, citizen_id=str(chat), reply=Reply(text=text))
    assert delivery.status == "sent"
    parts = [m.text for m in served.api.sent_to(chat)]
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts) == text


async def test_a_chat_that_blocked_the_bot_gets_a_failed_delivery(
    channel: TelegramChannel, served: Served
) -> None:
    chat = new_chat()
    served.api.blocked_chats.add(chat)
    delivery = await channel.deliver(
        account=ACCOUNT, citizen_id=str(chat), reply=Reply(text="您好")
    )
    assert delivery.status == "failed"
    assert "blocked" in delivery.detail
    assert served.api.sent_to(chat) == []


async def test_an_account_without_a_bot_or_a_bad_chat_id_fails_quietly(
    channel: TelegramChannel,
) -> None:
    other = await channel.deliver(
        account="yunxi-fabu-wechat", citizen_id="1", reply=Reply(text="x")
    )
    assert other.status == "failed"
    wechat_id = await channel.deliver(account=ACCOUNT, citizen_id="oAbc123", reply=Reply(text="x"))
    assert wechat_id.status == "failed"


async def test_an_unreachable_telegram_gives_a_failed_delivery(served: Served) -> None:
    telegram = served.runtime.settings.telegram.model_copy(
        update={"base_url": f"http://127.0.0.1:{free_port()}/bot"}
    )
    settings = served.runtime.settings.model_copy(update={"telegram": telegram})
    adapter = TelegramChannel(served.runtime, settings.telegram, session_seconds=24 * 3600)
    await adapter.start()  # logs that the bot is unavailable, but starts
    try:
        delivery = await adapter.deliver(
            account=ACCOUNT, citizen_id=str(new_chat()), reply=Reply(text="您好")
        )
    finally:
        await adapter.stop()
    assert delivery.status == "failed" and "NetworkError" in delivery.detail


async def test_the_bot_token_never_reaches_the_logs(
    channel: TelegramChannel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await channel.deliver(account=ACCOUNT, citizen_id=str(new_chat()), reply=Reply(text="您好"))
    assert any("sendMessage" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


async def test_an_answer_telegram_did_not_take_is_pending_and_sent_again(served: Served) -> None:
    runtime = served.runtime
    telegram = runtime.settings.telegram.model_copy(
        update={"base_url": f"http://127.0.0.1:{free_port()}/bot"}
    )
    settings = runtime.settings.model_copy(update={"telegram": telegram})
    down = TelegramChannel(runtime, settings.telegram, session_seconds=24 * 3600)
    chat = new_chat()
    update = Update.de_json(
        make_update("text", chat_id=chat, text="社保卡丢了怎么补办"), down.bots[ACCOUNT]
    )
    await down.handle(ACCOUNT, update)  # the webhook would answer 200 now
    with runtime.database.session() as session:
        [answer] = session.scalars(
            select(Message)
            .join(Conversation)
            .where(Conversation.citizen_id == str(chat), Message.direction == Direction.OUT)
        )
        assert answer.delivery is Delivery.PENDING and "NetworkError" in answer.delivery_error
        text = answer.text

    later = CountyClock(runtime.settings.tz, lambda: datetime.now(UTC) + timedelta(hours=1))
    alerts = AlertService(
        runtime.database, runtime.calendar, AlertSettings(), Notifiers(), clock=later.now
    )
    up = TelegramChannel(runtime, runtime.settings.telegram, session_seconds=24 * 3600)
    await up.start()
    try:
        await alerts.redeliver_once(Deliveries(runtime.database, later), {"telegram": up})
    finally:
        await up.stop()
    assert [m.text for m in served.api.sent_to(chat)] == [text]
    with runtime.database.session() as session:
        assert session.get(Message, answer.id).delivery is Delivery.SENT  # type: ignore[union-attr]
