"""Several workers behind one Redis share one access token (WeChat allows 2000 fetches a day)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from bot.channels.wechat.api_client import TOKEN_PREFIX
from bot.channels.wechat.settings import WeChatSettings
from tests.bot.channels.wechat.official_accounts import PLAIN
from tests.bot.channels.wechat.pushes import new_openid, push_xml, signed_query
from tests.fakes.wechat_api import running_wechat_api
from tests.live_server import served_county
from tests.services import REDIS_URL


@pytest.fixture
def app_id() -> Iterator[str]:
    """An app id of its own, so no token cached by an earlier run is found in Redis."""
    app_id = f"wx{uuid.uuid4().hex[:16]}"
    yield app_id
    with redis.Redis.from_url(REDIS_URL) as client:
        client.delete(f"{TOKEN_PREFIX}:{app_id}_access_token")


async def test_two_workers_fetch_the_token_once(app_id: str, tmp_path: Path) -> None:
    account = PLAIN.settings().model_copy(update={"app_id": app_id})
    with running_wechat_api({app_id: PLAIN.secret}) as (api_base, api):
        # Every answer goes by customer-service message, so each worker needs the token.
        settings = WeChatSettings(
            accounts={PLAIN.code: account}, api_base_url=api_base, passive_reply_seconds=0
        )
        shared = {"database_url": f"sqlite:///{tmp_path / 'shared.db'}", "redis_url": REDIS_URL}
        with (
            served_county(tmp_path, wechat=settings, **shared) as (first_url, _),
            served_county(tmp_path, wechat=settings, **shared) as (second_url, _),
        ):
            openids = [new_openid(), new_openid()]
            async with httpx.AsyncClient(timeout=10) as http:
                for base_url, openid in zip((first_url, second_url), openids, strict=True):
                    xml = push_xml("subscribe", official_id=PLAIN.official_id, openid=openid)
                    response = await http.post(
                        f"{base_url}/wechat/{PLAIN.code}",
                        params=signed_query(PLAIN.token),
                        content=xml,
                    )
                    assert response.text == "success"
                    [welcome] = await api.wait_for_texts(openid, 1)
                    assert "欢迎关注云溪发布" in welcome
        assert api.token_fetches == [app_id]
