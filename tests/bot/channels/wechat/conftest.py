"""The sample county served with WeChat accounts in every mode, next to a fake WeChat API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.bot.channels.wechat.official_accounts import ACCOUNTS
from tests.bot.channels.wechat.served_app import Gate, Served, gated, wechat_settings
from tests.fakes.wechat_api import FakeWeChatApi, running_wechat_api
from tests.live_server import served_county


@pytest.fixture(scope="module")
def fake_api() -> Iterator[tuple[str, FakeWeChatApi]]:
    with running_wechat_api({a.app_id: a.secret for a in ACCOUNTS}) as pair:
        yield pair


@pytest.fixture(scope="module")
def served(
    fake_api: tuple[str, FakeWeChatApi], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """Answers in time: the default 4-second passive-reply budget."""
    base, api = fake_api
    with served_county(
        tmp_path_factory.mktemp("wechat"), redis_url=None, wechat=wechat_settings(base)
    ) as (url, runtime):
        yield Served(url, runtime, api)


@pytest.fixture(scope="module")
def served_slow(
    fake_api: tuple[str, FakeWeChatApi], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """Understanding waits at a gate each test opens; the passive-reply budget is 0.2 s."""
    base, api = fake_api
    settings = wechat_settings(base, passive_reply_seconds=0.2)
    directory = tmp_path_factory.mktemp("wechat-slow")
    gate = Gate()
    with served_county(directory, redis_url=None, wechat=settings) as (url, runtime):
        runtime.pipeline = gated(runtime.pipeline, gate)
        yield Served(url, runtime, api, gate)
        gate.open()  # let anything still held finish before the server stops


@pytest.fixture
def gate(served_slow: Served) -> Iterator[Gate]:
    """The slow server's gate, closed at the start of each test and opened at its end."""
    assert served_slow.gate is not None
    served_slow.gate.close()
    yield served_slow.gate
    served_slow.gate.open()


@pytest.fixture(autouse=True)
def api_accepts(fake_api: tuple[str, FakeWeChatApi]) -> Iterator[None]:
    """Every test starts with an API that accepts customer-service messages."""
    fake_api[1].refuse_with = None
    yield
    fake_api[1].refuse_with = None


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client
