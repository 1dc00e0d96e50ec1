"""Answers not ready within the window, and WeChat's retries: each answer arrives exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from bot.channels.wechat.channel import WeChatChannel
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.service import AlertService
from handlers.alerts.settings import AlertSettings
from handlers.deliveries import Deliveries
from knowledge_base.clock import CountyClock
from knowledge_base.models import Conversation, Delivery, Direction, Message
from tests.bot.channels.wechat.official_accounts import PLAIN, SAFE
from tests.bot.channels.wechat.pushes import (
    encrypted_push,
    new_msg_id,
    new_openid,
    push_xml,
    reply_fields,
    signed_query,
)
from tests.bot.channels.wechat.served_app import Gate, Served

QUESTION = "社保卡丢了怎么补办"


async def test_a_slow_answer_is_acknowledged_at_once_and_sent_as_customer_service_message(
    served_slow: Served, gate: Gate, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    response = await http.post(
        f"{served_slow.base_url}/wechat/{PLAIN.code}", params=signed_query(PLAIN.token), content=xml
    )
    # Acknowledged while understanding is still held: the reply did not wait for the answer.
    assert response.status_code == 200 and response.text == "success"
    assert served_slow.api.texts_to(openid) == []
    gate.open()
    assert await served_slow.api.wait_for_texts(openid, 1) == [served_slow.answer("SB-0001")]
    sent = [s for s in served_slow.api.sent if s.touser == openid]
    assert sent[0].app_id == PLAIN.app_id


async def test_a_slow_safe_mode_answer_also_goes_by_customer_service(
    served_slow: Served, gate: Gate, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("text", official_id=SAFE.official_id, openid=openid, content=QUESTION)
    query, body = encrypted_push(xml, SAFE, openid=openid)
    url = f"{served_slow.base_url}/wechat/{SAFE.code}"
    response = await http.post(url, params=query, content=body)
    assert response.text == "success"
    gate.open()
    assert await served_slow.api.wait_for_texts(openid, 1) == [served_slow.answer("SB-0001")]


async def test_retries_of_a_slow_message_store_it_once_and_answer_once(
    served_slow: Served, gate: Gate, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml(
        "text",
        official_id=PLAIN.official_id,
        openid=openid,
        content=QUESTION,
        msg_id=new_msg_id(),
    )
    url = f"{served_slow.base_url}/wechat/{PLAIN.code}"

    # WeChat retries the same push (same MsgId) while it waits for the answer.
    responses = [await http.post(url, params=signed_query(PLAIN.token), content=xml) for _ in "123"]
    assert [r.text for r in responses] == ["success"] * 3
    gate.open()
    assert await served_slow.api.wait_for_texts(openid, 1) == [served_slow.answer("SB-0001")]
    # A second answer would show up here; the bounded wait only delays a passing test.
    assert await served_slow.api.wait_for_texts(openid, 2, timeout=0.5) == [
        served_slow.answer("SB-0001")
    ]
    assert served_slow.incoming_count(openid) == 1


async def test_a_retry_after_a_lost_passive_reply_resends_the_answer_once(
    served: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    first = await http.post(url, params=signed_query(PLAIN.token), content=xml)
    assert reply_fields(first.text)["Content"] == served.answer("SB-0001")
    # WeChat only retries when that reply did not reach it in time: the citizen has nothing yet.
    retries = [await http.post(url, params=signed_query(PLAIN.token), content=xml) for _ in "12"]
    assert [r.text for r in retries] == ["success", "success"]
    assert await served.api.wait_for_texts(openid, 2, timeout=0.5) == [served.answer("SB-0001")]
    assert served.incoming_count(openid) == 1


async def test_a_retried_follow_is_stored_once_and_its_lost_welcome_resent(
    served: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("subscribe", official_id=PLAIN.official_id, openid=openid)
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    first = await http.post(url, params=signed_query(PLAIN.token), content=xml)
    assert "欢迎关注" in reply_fields(first.text)["Content"]
    assert served.incoming_count(openid) == 1
    again = await http.post(url, params=signed_query(PLAIN.token), content=xml)
    assert again.text == "success"
    assert served.incoming_count(openid) == 1
    welcome = reply_fields(first.text)["Content"]
    assert await served.api.wait_for_texts(openid, 1) == [welcome]  # the lost reply, once


async def test_a_late_answer_wechat_refused_for_now_waits_in_the_retry_queue(
    served_slow: Served, gate: Gate, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    served_slow.api.refuse_with = 45047  # the customer-service quota: it passes
    try:
        response = await http.post(
            f"{served_slow.base_url}/wechat/{PLAIN.code}",
            params=signed_query(PLAIN.token),
            content=xml,
        )
        assert response.text == "success"
        gate.open()
        runtime = served_slow.runtime
        answer = await _answer_settled(served_slow, openid)
        assert answer.delivery is Delivery.PENDING and "45047" in answer.delivery_error
    finally:
        served_slow.api.refuse_with = None
    later = CountyClock(runtime.settings.tz, lambda: datetime.now(UTC) + timedelta(hours=1))
    alerts = AlertService(
        runtime.database, runtime.calendar, AlertSettings(), Notifiers(), clock=later.now
    )
    channel = WeChatChannel(runtime, runtime.settings.wechat, redis_url=runtime.settings.redis_url)
    await alerts.redeliver_once(Deliveries(runtime.database, later), {"wechat": channel})
    assert served_slow.api.texts_to(openid) == [served_slow.answer("SB-0001")]
    with runtime.database.session() as session:
        assert session.get(Message, answer.id).delivery is Delivery.SENT  # type: ignore[union-attr]


async def _answer_settled(served: Served, openid: str) -> Message:
    """The stored answer to `openid`, once WeChat's answer to the push has been recorded."""
    for _ in range(300):
        with served.runtime.database.session() as session:
            answer = session.scalars(
                select(Message)
                .join(Conversation)
                .where(Conversation.citizen_id == openid, Message.direction == Direction.OUT)
            ).first()
            if answer is not None and answer.delivery_attempts:
                return answer
        await asyncio.sleep(0.1)  # the answer is computed and pushed in the background
    raise AssertionError("the late answer was never pushed")
