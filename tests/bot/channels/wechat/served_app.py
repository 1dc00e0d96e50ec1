"""govbot served with WeChat accounts in every mode: what the tests need to look inside."""

from __future__ import annotations

import asyncio
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


class Delay:
    """A pipeline step that makes understanding slow, as under heavy load."""

    name = "delay"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def __call__(self, turn: Turn) -> None:
        await asyncio.sleep(self.seconds)


def slowed(pipeline: Pipeline, seconds: float) -> Pipeline:
    """The same pipeline, waiting `seconds` after the message is stored and before deciding."""
    steps: list[Any] = list(pipeline.steps)
    at = next(i for i, step in enumerate(steps) if step.name == "decide")
    return Pipeline([*steps[:at], Delay(seconds), *steps[at:]], pipeline.on_error)


def wechat_settings(api_base_url: str, **overrides: Any) -> WeChatSettings:
    """All test accounts, pointed at the fake API."""
    return WeChatSettings(
        accounts={a.code: a.settings() for a in ACCOUNTS}, api_base_url=api_base_url, **overrides
    )
