"""The Telegram notifier against the loopback Bot API stand-in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from handlers.alerts.notifiers.base import AlertMessage, NotifierError, Recipient
from handlers.alerts.notifiers.telegram import TelegramNotifier
from tests.fakes.telegram_api import FakeTelegramApi
from tests.live_server import free_port

TOKEN = "7001:duty-bot-SECRET_token"
CHAT = 424242
STAFF = Recipient(staff_id=1, name="王芳", telegram_chat_id=str(CHAT))
ALERT = AlertMessage(
    subject="待回复留言 1 条",
    body="市民留言“孩子入学需要哪些材料？”已等待 2 小时，请于 11 月 23 日 17:00 前回复。",
    ticket_id=17,
)


@pytest.fixture
def api() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi([TOKEN]).running() as api:
        yield api


@pytest.fixture
async def notifier(api: FakeTelegramApi) -> AsyncIterator[TelegramNotifier]:
    notifier = TelegramNotifier(TOKEN, base_url=api.base_url)
    yield notifier
    await notifier.close()


async def test_the_staff_member_gets_subject_then_body_as_plain_text(
    api: FakeTelegramApi, notifier: TelegramNotifier
) -> None:
    message_id = await notifier.send(STAFF, ALERT)

    [sent] = api.sent_to(CHAT)
    assert sent.text == f"{ALERT.subject}\n\n{ALERT.body}"
    assert sent.parse_mode is None  # 《》, *, _ in citizens' words must not break markup
    assert message_id == str(sent.message_id)  # what a reply to the alert will point at


async def test_an_overlong_body_arrives_whole_in_several_messages(
    api: FakeTelegramApi, notifier: TelegramNotifier
) -> None:
    body = "\n".join(f"第 {i} 行：留言内容" * 20 for i in range(1, 41))
    message_id = await notifier.send(STAFF, AlertMessage(subject="长留言", body=body))

    sent = api.sent_to(CHAT)
    assert len(sent) > 1 and all(len(m.text) <= 4096 for m in sent)
    assert message_id == str(sent[0].message_id)  # the part that carries the subject
    joined = "".join(
        m.text.split("）", 1)[1] if i else m.text.rsplit("（", 1)[0] for i, m in enumerate(sent)
    )
    assert joined.replace("\n", "") == f"长留言{body}".replace("\n", "")


async def test_a_chat_that_blocked_the_bot_is_not_retried(
    api: FakeTelegramApi, notifier: TelegramNotifier
) -> None:
    api.blocked_chats.add(CHAT)

    with pytest.raises(NotifierError) as raised:
        await notifier.send(STAFF, ALERT)

    assert raised.value.retry is False
    assert api.sent_to(CHAT) == []


async def test_an_unreachable_api_is_retried_later_and_the_token_stays_secret() -> None:
    notifier = TelegramNotifier(TOKEN, base_url=f"http://127.0.0.1:{free_port()}/bot")

    with pytest.raises(NotifierError) as raised:
        await notifier.send(STAFF, ALERT)
    await notifier.close()

    assert raised.value.retry is True
    assert "SECRET" not in str(raised.value)


async def test_request_logs_keep_the_method_but_hide_the_token(
    notifier: TelegramNotifier, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")

    await notifier.send(STAFF, ALERT)

    assert "/bot***/sendMessage" in caplog.text
    assert "SECRET" not in caplog.text


def test_reaches_only_staff_with_a_telegram_chat(notifier: TelegramNotifier) -> None:
    assert notifier.reaches(STAFF)
    assert not notifier.reaches(Recipient(staff_id=2, name="李强", email="liqiang@yunhe.gov.cn"))
