"""`deliver()`: staff replies and late answers pushed as customer-service messages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.channels.base import Reply
from bot.channels.wechat.channel import WeChatChannel
from handlers.text_parts import MAX_TEXT_BYTES
from tests.bot.channels.wechat.official_accounts import PLAIN
from tests.bot.channels.wechat.pushes import new_openid
from tests.bot.channels.wechat.served_app import Served
from tests.live_server import free_port


@pytest.fixture
async def channel(served: Served) -> AsyncIterator[WeChatChannel]:
    channel = WeChatChannel(
        served.runtime, served.runtime.settings.wechat, redis_url=served.runtime.settings.redis_url
    )
    yield channel
    await channel.stop()


async def test_a_staff_reply_reaches_the_citizen(channel: WeChatChannel, served: Served) -> None:
    openid = new_openid()
    text = "您好，您反映的路灯问题已转交县住建局，预计三个工作日内修复。"
    delivery = await channel.deliver(account=PLAIN.code, citizen_id=openid, reply=Reply(text=text))
    assert delivery.status == "sent"
    assert served.api.texts_to(openid) == [text]


async def test_after_48_hours_the_delivery_fails_with_the_reason(
    channel: WeChatChannel, served: Served
) -> None:
    served.api.refuse_with = 45015
    openid = new_openid()
    delivery = await channel.deliver(
        account=PLAIN.code, citizen_id=openid, reply=Reply(text="您好")
    )
    assert delivery.status == "failed"
    assert "48小时" in delivery.detail and "45015" in delivery.detail
    assert served.api.texts_to(openid) == []


async def test_an_unreachable_api_or_unknown_account_fails_without_raising(
    served: Served,
) -> None:
    settings = served.runtime.settings.model_copy(deep=True)
    settings.wechat.api_base_url = f"http://127.0.0.1:{free_port()}/cgi-bin/"
    offline = WeChatChannel(served.runtime, settings.wechat, redis_url=settings.redis_url)
    delivery = await offline.deliver(
        account=PLAIN.code, citizen_id=new_openid(), reply=Reply("您好")
    )
    assert delivery.status == "failed" and delivery.detail == "无法连接微信接口"
    unknown = await offline.deliver(account="no-such", citizen_id=new_openid(), reply=Reply("您好"))
    assert unknown.status == "failed"


async def test_a_long_reply_arrives_complete_in_order(
    channel: WeChatChannel, served: Served
) -> None:
    lines = [f"第{n}条：请携带本人身份证原件到县行政服务中心办理相关业务。" for n in range(1, 61)]
    text = "\n".join(lines)
    assert len(text.encode()) > 2 * MAX_TEXT_BYTES
    openid = new_openid()
    delivery = await channel.deliver(account=PLAIN.code, citizen_id=openid, reply=Reply(text=text))
    assert delivery.status == "sent"
    parts = served.api.texts_to(openid)
    assert len(parts) >= 3
    assert all(len(p.encode()) <= MAX_TEXT_BYTES for p in parts)
    assert "\n".join(parts) == text


async def test_logs_show_neither_secrets_nor_whole_openids(
    channel: WeChatChannel, served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    served.api.refuse_with = 45015
    openid = new_openid()
    await channel.deliver(account=PLAIN.code, citizen_id=openid, reply=Reply(text="您好"))
    assert "custom/send" in caplog.text and "refused" in caplog.text  # the events are logged
    assert PLAIN.secret not in caplog.text
    assert "TOKEN-" not in caplog.text  # the access token the fake API issued
    assert openid not in caplog.text
