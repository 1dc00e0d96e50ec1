"""The sample county served by uvicorn with one Telegram bot, talking to a fake Bot API."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.channels.telegram.settings import TelegramAccountSettings, TelegramSettings
from bot.runtime import Runtime
from knowledge_base.models import Entry, Message
from tests.fakes.telegram_api import FakeTelegramApi
from tests.live_server import served_county

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "telegram"
ACCOUNT = "yunxi-fabu-telegram"  # the sample county's Telegram account of 云溪发布
TOKEN = "1001:AAFakeTokenForYunxiFabu"
SECRET = "yunxi-fabu-webhook-secret_1"
PUBLIC_URL = "https://govbot.yunxi.example"
WEBHOOK = f"/telegram/{ACCOUNT}"

_ids = itertools.count(800_000_000)


def telegram_settings(api: FakeTelegramApi, **extra: Any) -> TelegramSettings:
    """One bot for 云溪发布, speaking to the fake API."""
    account = TelegramAccountSettings(token=TOKEN, webhook_secret=SECRET)  # type: ignore[arg-type]
    return TelegramSettings(accounts={ACCOUNT: account}, base_url=api.base_url, **extra)


def make_update(fixture: str, *, chat_id: int, **changes: Any) -> dict[str, Any]:
    """The raw update in `fixture`.json with a fresh update_id, sent from `chat_id`.

    `changes` replace fields of the message (or of the callback query for callback updates).
    """
    update = copy.deepcopy(json.loads((FIXTURES / f"{fixture}.json").read_text("utf-8")))
    update["update_id"] = next(_ids)
    body = update.get("callback_query") or update["message"]
    body["from"]["id"] = chat_id
    message = body.get("message", body)
    message["chat"]["id"] = chat_id
    body.update(changes)
    return dict(update)


def new_chat() -> int:
    """A chat id no other test uses, so each test is a new citizen."""
    return next(_ids)


@dataclass(frozen=True)
class Served:
    """The running app and what the tests look at."""

    http: httpx.Client
    runtime: Runtime
    api: FakeTelegramApi

    def post_update(self, update: dict[str, Any], *, secret: str | None = SECRET) -> httpx.Response:
        """Deliver `update` to the webhook as Telegram does."""
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        return self.http.post(WEBHOOK, json=update, headers=headers)

    def stored_messages(self) -> int:
        """Rows in `messages`: what the pipeline stored, in and out."""
        with self.runtime.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(Message)) or 0)

    def answer_of(self, question: str) -> str:
        """The published answer of the entry asked as `question`."""
        with self.runtime.database.session() as session:
            entries = session.scalars(select(Entry).options(selectinload(Entry.versions)))
            for entry in entries:
                live = entry.live_version
                if live is not None and live.question == question:
                    return live.answer
        raise AssertionError(f"no published entry asks {question!r}")


@pytest.fixture(scope="module")
def api() -> Iterator[FakeTelegramApi]:
    """The fake Bot API, knowing the bot's token."""
    with FakeTelegramApi([TOKEN]).running() as fake:
        yield fake


@pytest.fixture(scope="module")
def served(api: FakeTelegramApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app in webhook mode with a public URL, so it registers its webhook at start."""
    settings = telegram_settings(api, public_url=PUBLIC_URL)
    with (
        served_county(tmp_path_factory.mktemp("telegram"), telegram=settings) as (url, runtime),
        httpx.Client(base_url=url, timeout=20) as http,
    ):
        yield Served(http, runtime, api)
