"""The sample county served with 云溪发布's Weibo account, next to a fake Weibo API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.channels.weibo.settings import WeiboAccountSettings, WeiboSettings
from bot.runtime import Runtime
from knowledge_base.models import Direction, Message, Ticket
from knowledge_base.workflow import get_entry
from tests.bot.channels.weibo.pushes import ACCOUNT, APP_SECRET, TOKEN, UID
from tests.fakes.weibo_api import FakeWeiboApi, running_weibo_api
from tests.live_server import served_county

STAFF_TOKEN = "staff-api-token-for-weibo-tests"


@dataclass(frozen=True)
class Served:
    """govbot on loopback, its runtime and the Weibo API it talks to."""

    base_url: str
    runtime: Runtime
    api: FakeWeiboApi

    def incoming_count(self, uid: str) -> int:
        """Messages stored from this citizen."""
        with self.runtime.database.session() as session:
            query = select(func.count(Message.id)).where(
                Message.direction == Direction.IN,
                Message.conversation.has(citizen_id=uid, channel="weibo"),
            )
            return int(session.scalar(query) or 0)

    def message_count(self) -> int:
        """Every stored message, in and out."""
        with self.runtime.database.session() as session:
            return int(session.scalar(select(func.count(Message.id))) or 0)

    def open_ticket(self, uid: str) -> int:
        """The number of this citizen's open ticket."""
        with self.runtime.database.session() as session:
            ticket_id = session.scalar(
                select(Ticket.id).where(Ticket.conversation.has(citizen_id=uid, channel="weibo"))
            )
            assert ticket_id is not None, "no ticket was opened"
            return int(ticket_id)

    def answer(self, entry_code: str) -> str:
        """The published answer of an entry."""
        with self.runtime.database.session() as session:
            version = get_entry(session, code=entry_code).live_version
            assert version is not None
            return str(version.answer)


def weibo_settings(api_base_url: str, **overrides: Any) -> WeiboSettings:
    """云溪发布's Weibo account, pointed at the fake API."""
    account = WeiboAccountSettings(
        uid=UID, app_secret=SecretStr(APP_SECRET), access_token=SecretStr(TOKEN)
    )
    return WeiboSettings(
        accounts={ACCOUNT: account},
        api_base_url=api_base_url,
        message_api_base_url=api_base_url,
        **overrides,
    )


@pytest.fixture(scope="module")
def fake_api() -> Iterator[tuple[str, FakeWeiboApi]]:
    with running_weibo_api({TOKEN: UID}) as pair:
        yield pair


@pytest.fixture(scope="module")
def served(
    fake_api: tuple[str, FakeWeiboApi], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    base, api = fake_api
    with served_county(
        tmp_path_factory.mktemp("weibo"),
        redis_url=None,
        weibo=weibo_settings(base),
        staff_api_token=STAFF_TOKEN,
    ) as (url, runtime):
        yield Served(url, runtime, api)


@pytest.fixture(autouse=True)
def no_refusals(fake_api: tuple[str, FakeWeiboApi]) -> Iterator[None]:
    """Each test starts with an API that accepts every call."""
    fake_api[1].refusals.clear()
    yield
    fake_api[1].refusals.clear()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client
