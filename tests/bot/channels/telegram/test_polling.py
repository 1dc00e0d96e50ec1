"""Polling mode: the bot fetches updates with getUpdates instead of receiving a webhook."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from knowledge_base.workflow import get_entry
from tests.bot.channels.telegram.conftest import (
    TOKEN,
    make_update,
    new_chat,
    telegram_settings,
)
from tests.fakes.telegram_api import FakeTelegramApi
from tests.live_server import served_county


def test_a_queued_update_is_answered_and_stopping_ends_polling(tmp_path: Path) -> None:
    chat = new_chat()
    with FakeTelegramApi([TOKEN]).running() as api:
        # A webhook left over from webhook mode would make Telegram refuse getUpdates.
        api.webhooks[TOKEN] = {"url": "https://old.example/telegram"}
        api.queue_update(TOKEN, make_update("text", chat_id=chat, text="社保卡丢了怎么补办"))
        settings = telegram_settings(api, mode="polling", poll_timeout=1)
        with served_county(tmp_path, telegram=settings) as (_, runtime):
            [sent] = api.wait_for_sent(chat_id=chat)
            with runtime.database.session() as session:
                live = get_entry(session, code="SB-0001").live_version
                assert live is not None
            assert sent.text == live.answer
            assert TOKEN not in api.webhooks
            # The next poll confirms the update, so Telegram does not send it again.
            deadline = time.monotonic() + 10
            while not any(int(c.get("offset", 0)) > 0 for c in api.calls_of("getUpdates")):
                assert time.monotonic() < deadline, "the update was never confirmed"
                time.sleep(0.05)
        polls = len(api.calls_of("getUpdates"))
        time.sleep(1.5)  # longer than one long poll
        assert len(api.calls_of("getUpdates")) == polls
        assert len(api.sent_to(chat)) == 1


def test_a_polling_app_accepts_no_webhook_calls(tmp_path: Path) -> None:
    with FakeTelegramApi([TOKEN]).running() as api:
        settings = telegram_settings(api, mode="polling", poll_timeout=1)
        with served_county(tmp_path, telegram=settings) as (url, _):
            response = httpx.post(f"{url}/telegram/yunxi-fabu-telegram", json={"update_id": 1})
            assert response.status_code == 404
