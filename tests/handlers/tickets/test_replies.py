"""Staff answer tickets; the answer reaches the citizen on the channel they used."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.channels.web import WebChatChannel
from bot.channels.wechat.channel import WeChatChannel
from bot.channels.wechat.settings import WeChatAccountSettings, WeChatSettings
from bot.runtime import Runtime
from handlers.tickets import service
from handlers.turn import Turn
from knowledge_base.errors import KbError
from knowledge_base.models import Account, Delivery, Message, Ticket, TicketStatus
from tests.fakes.wechat_api import running_wechat_api
from tests.live_server import served_county

Ask = Callable[..., Awaitable[Turn]]


def ticket_of(runtime: Runtime, ticket_id: int) -> Ticket:
    with runtime.database.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket


async def test_web_ticket_deadline_reply_and_close(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("转人工")
    assert turn.ticket_id is not None
    ticket = ticket_of(runtime, turn.ticket_id)
    opened = ticket.created_at.astimezone(runtime.settings.tz)
    due = ticket.first_response_due
    assert due is not None and due.astimezone(runtime.settings.tz).time() == time(17, 30)
    assert due.astimezone(runtime.settings.tz).date() == runtime.calendar.add_working_days(
        opened.date(), 1
    )

    channels = {"web": WebChatChannel(runtime, default_account=runtime.settings.default_account)}
    outcome = await service.reply(
        runtime.database,
        channels,
        ticket_id=turn.ticket_id,
        text="您好，失业金可在浙里办申领。",
        staff="王敏",
        deliveries=runtime.deliveries,
    )
    assert outcome.delivered and outcome.response_minutes is not None
    answered = ticket_of(runtime, turn.ticket_id)
    assert answered.status is TicketStatus.ANSWERED and answered.first_response_at is not None
    with runtime.database.session() as session:
        staff_message = session.scalars(select(Message).where(Message.author == "staff:王敏")).one()
        assert staff_message.delivery is Delivery.SENT

    service.close(runtime.database, ticket_id=turn.ticket_id, staff="王敏", clock=runtime.clock)
    again = await ask("社保卡丢了怎么补办")
    assert again.decision is not None and again.decision.kind == "answer"  # the bot is back
    with pytest.raises(KbError, match="已关闭"):
        await service.reply(
            runtime.database,
            channels,
            ticket_id=turn.ticket_id,
            text="补充",
            staff="王敏",
            deliveries=runtime.deliveries,
        )


WECHAT = WeChatAccountSettings(
    app_id="wx0fab0000000001",
    app_secret="fabu-secret",
    token="fabutoken",
    mode="plain",  # type: ignore[arg-type]
)


async def test_wechat_reply_outside_the_48_hour_window_is_reported_and_kept(tmp_path: Path) -> None:
    with running_wechat_api({WECHAT.app_id: "fabu-secret"}) as (api_url, api):
        settings = {
            "wechat": WeChatSettings(accounts={"yunxi-fabu-wechat": WECHAT}, api_base_url=api_url)
        }
        with served_county(tmp_path, **settings) as (_, runtime):
            channels = {
                "wechat": WeChatChannel(
                    runtime, runtime.settings.wechat, redis_url=runtime.settings.redis_url
                )
            }
            from handlers.messages import IncomingMessage

            async def human(citizen: str) -> int:
                turn = await runtime.handle(
                    IncomingMessage(
                        channel="wechat",
                        account="yunxi-fabu-wechat",
                        citizen_id=citizen,
                        text="转人工",
                    )
                )
                assert turn.ticket_id is not None
                return turn.ticket_id

            first = await human("o-citizen-1")
            ok = await service.reply(
                runtime.database,
                channels,
                ticket_id=first,
                text="已为您办理。",
                staff="李值班",
                deliveries=runtime.deliveries,
            )
            assert ok.delivered and api.texts_to("o-citizen-1") == ["已为您办理。"]

            api.refuse_with = 45015
            second = await human("o-citizen-2")
            late = await service.reply(
                runtime.database,
                channels,
                ticket_id=second,
                text="迟到的答复",
                staff="李值班",
                deliveries=runtime.deliveries,
            )
            assert not late.delivered and "48" in late.detail
            kept = ticket_of(runtime, second)
            assert kept.status is TicketStatus.OPEN and "48" in kept.note
            with runtime.database.session() as session:
                failed = session.scalars(select(Message).where(Message.text == "迟到的答复")).one()
                assert failed.delivery is Delivery.FAILED


def test_staff_api_needs_the_token_and_answers_tickets(tmp_path: Path) -> None:
    with (
        served_county(tmp_path, staff_api_token="s3cret-token") as (url, runtime),
        httpx.Client(base_url=url) as http,
    ):
        chat = http.post("/api/chat", json={"text": "转人工"}).json()
        with runtime.database.session() as session:
            ticket_id = session.scalars(select(Ticket.id)).one()
        body = {"text": "您好，这是工作人员的答复。", "staff": "陈值班"}
        assert http.post(f"/api/staff/tickets/{ticket_id}/reply", json=body).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert (
            http.post(f"/api/staff/tickets/{ticket_id}/reply", json=body, headers=wrong).status_code
            == 401
        )
        auth = {"Authorization": "Bearer s3cret-token"}
        answered = http.post(f"/api/staff/tickets/{ticket_id}/reply", json=body, headers=auth)
        assert answered.status_code == 200 and answered.json()["delivered"] is True
        polled = http.get(
            "/api/chat/messages",
            params={
                "account": "yunxi-fabu-web",
                "session": chat["session"],
                "after": chat["last_id"],
            },
        ).json()["messages"]
        assert [m["text"] for m in polled] == ["您好，这是工作人员的答复。"]
        assert (
            http.post("/api/staff/tickets/9999/reply", json=body, headers=auth).status_code == 404
        )

        post = {
            "account": "yunxi-jiaotong-wechat",
            "posted_at": "2026-11-21T10:00:00+08:00",
            "title": "路况",
        }
        assert http.post("/api/staff/posts", json=post, headers=auth).json()["new"] is True
        with runtime.database.session() as session:
            account = session.scalars(
                select(Account).where(Account.code == "yunxi-jiaotong-wechat")
            ).one()
            assert account.last_post_at == datetime.fromisoformat(post["posted_at"])


def test_staff_api_is_off_without_a_configured_token(tmp_path: Path) -> None:
    with served_county(tmp_path) as (url, _), httpx.Client(base_url=url) as http:
        response = http.post(
            "/api/staff/tickets/1/ack",
            json={"staff": "x"},
            headers={"Authorization": "Bearer anything"},
        )
        assert response.status_code == 503
