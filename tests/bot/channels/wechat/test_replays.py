"""Replayed WeChat signatures are refused on every endpoint and in every mode; WeChat's own
retries of a push still get through once."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.channels.pushed.replay_guard import ReplayGuard
from handlers.state import StateStore, create_state_store
from tests.bot.channels.wechat import official_accounts
from tests.bot.channels.wechat.official_accounts import COMPATIBLE, PLAIN
from tests.bot.channels.wechat.pushes import encrypted_push, new_openid, push_xml, signed_query
from tests.bot.channels.wechat.served_app import Served
from tests.services import REDIS_URL

QUESTION = "社保卡丢了怎么补办"
STALE = [
    str(int(time.time()) - 7 * 86400),  # a week old
    str(946684800),  # 2000-01-01
    str(int(time.time()) + 3600),  # an hour ahead
    "yesterday",
    "",
]


@pytest.mark.parametrize("stamp", STALE)
async def test_a_timestamp_outside_the_window_is_403_and_nothing_is_stored(
    served: Served, http: httpx.AsyncClient, stamp: str
) -> None:
    before = served.message_count()
    openid = new_openid()
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    query = signed_query(PLAIN.token, timestamp=stamp)
    pushed = await http.post(url, params=query, content=xml)
    verified = await http.get(url, params={**query, "echostr": "hello"})
    assert pushed.status_code == 403 and verified.status_code == 403
    assert served.message_count() == before


@pytest.mark.parametrize("account", [PLAIN, COMPATIBLE], ids=["plain", "compatible"])
async def test_a_captured_signature_cannot_carry_another_message(
    served: Served, http: httpx.AsyncClient, account: official_accounts.TestAccount
) -> None:
    openid = new_openid()
    url = f"{served.base_url}/wechat/{account.code}"
    real = push_xml("text", official_id=account.official_id, openid=openid, content=QUESTION)
    query = signed_query(account.token)
    assert (await http.post(url, params=query, content=real)).status_code == 200
    forged = push_xml("text", official_id=account.official_id, openid=openid, content="我要投诉")
    replayed = await http.post(url, params=query, content=forged)
    assert replayed.status_code == 403
    assert served.incoming_count(openid) == 1


async def test_an_encrypted_push_cannot_be_replayed_with_another_body(
    served: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    url = f"{served.base_url}/wechat/{COMPATIBLE.code}"
    xml = push_xml("text", official_id=COMPATIBLE.official_id, openid=openid, content=QUESTION)
    query, body = encrypted_push(xml, COMPATIBLE, openid=openid)
    assert (await http.post(url, params=query, content=body)).status_code == 200
    other = body.replace("<ToUserName>", "<ToUserName >")
    assert (await http.post(url, params=query, content=other)).status_code == 403


async def test_wechat_retrying_the_same_push_is_stored_once(
    served: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    query = signed_query(PLAIN.token)
    first = await http.post(url, params=query, content=xml)
    retry = await http.post(url, params=query, content=xml)
    assert first.status_code == 200 and retry.status_code == 200
    assert served.incoming_count(openid) == 1


@pytest.fixture(params=["memory", "redis"])
async def state(request: pytest.FixtureRequest) -> AsyncIterator[StateStore]:
    url = REDIS_URL if request.param == "redis" else None
    store = create_state_store(url, prefix=f"test-{uuid.uuid4().hex}:")
    yield store
    await store.close()


async def test_the_window_follows_the_clock_and_nonces_are_shared(state: StateStore) -> None:
    now = [1_000_000.0]
    guard = ReplayGuard(state, window_seconds=300, clock=lambda: now[0])
    other_worker = ReplayGuard(state, window_seconds=300, clock=lambda: now[0])
    query = {"timestamp": "1000000", "nonce": "abc"}
    assert await guard.refusal("a", query, b"one") is None
    assert await other_worker.refusal("a", query, b"two") == "nonce replayed with another body"
    assert await other_worker.refusal("b", query, b"two") is None  # nonces are per account
    now[0] += 301
    assert await guard.refusal("a", {**query, "nonce": "new"}, b"x") == (
        "timestamp outside the window"
    )
