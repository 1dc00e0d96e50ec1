"""govbot served with WeChat accounts in every mode: what the tests need to look inside."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.channels.wechat.settings import WeChatSettings
from bot.runtime import Runtime
from handlers.pipeline import Pipeline
from handlers.turn import Turn
from knowledge_base.models import Direction, Message
from knowledge_base.workflow import get_entry
from tests.bot.channels.wechat.official_accounts import ACCOUNTS
from tests.fakes.wechat_api import FakeWeChatApi


@dataclass(frozen=True)
class Served:
    """govbot on loopback, its runtime (database, state) and the WeChat API it talks to."""

    base_url: str
    runtime: Runtime
    api: FakeWeChatApi
    gate: Gate | None = None

    def incoming_count(self, openid: str) -> int:
        """Messages stored from this citizen."""
        with self.runtime.database.session() as session:
            query = select(func.count(Message.id)).where(
                Message.direction == Direction.IN,
                Message.conversation.has(citizen_id=openid),
            )
            return int(session.scalar(query) or 0)

    def answer(self, entry_code: str) -> str:
        """The published answer of a knowledge-base entry, as every channel must give it."""
        with self.runtime.database.session() as session:
            version = get_entry(session, code=entry_code).live_version
            assert version is not None
            return str(version.answer)

    def message_count(self) -> int:
        """Every stored message, in and out."""
        with self.runtime.database.session() as session:
            return int(session.scalar(select(func.count(Message.id))) or 0)


class Gate:
    """A pipeline step that holds understanding until the test opens it, as under heavy load.

    The server runs on its own thread and loop, so the gate is a thread-safe event; whether an
    answer is late depends on the test opening the gate, never on how busy the machine is.
    """

    name = "gate"

    def __init__(self) -> None:
        self._open = threading.Event()

    def open(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._open.clear()

    async def __call__(self, turn: Turn) -> None:
        while not self._open.is_set():
            await asyncio.sleep(0.005)


def gated(pipeline: Pipeline, gate: Gate) -> Pipeline:
    """The same pipeline, waiting at `gate` after the message is stored and before deciding."""
    steps: list[Any] = list(pipeline.steps)
    at = next(i for i, step in enumerate(steps) if step.name == "decide")
    return Pipeline([*steps[:at], gate, *steps[at:]], pipeline.on_error)


def wechat_settings(api_base_url: str, **overrides: Any) -> WeChatSettings:
    """All test accounts, pointed at the fake API."""
    return WeChatSettings(
        accounts={a.code: a.settings() for a in ACCOUNTS}, api_base_url=api_base_url, **overrides
    )
