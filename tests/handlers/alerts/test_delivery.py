"""Alerts reach people through real notifiers; failures are retried without losing anything, and
a staff member's Telegram reply to a ticket alert is delivered to the citizen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from pydantic import SecretStr
from sqlalchemy import select

from bot.channels.web import WebChatChannel
from bot.runtime import Runtime
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.notifiers.wecom_app import WeComAppNotifier
from handlers.alerts.service import AlertService
from handlers.alerts.settings import AlertSettings
from handlers.alerts.telegram_replies import TelegramStaffReplies
from handlers.turn import Turn
from knowledge_base.models import Alert, AlertStatus, Message, Ticket, TicketStatus
from knowledge_base.staff import StaffRow, upsert_staff
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.wecom_api import running_wecom_api
from tests.handlers.alerts.conftest import County

Ask = Callable[..., Awaitable[Turn]]
STAFF_BOT = "555000:staff-bot-token"


async def test_a_failing_notifier_recovers_and_nothing_is_lost(county: County) -> None:
    with county.database.session() as session:
        # 王轮值 is on the roster on the day the ticket comes in.
        upsert_staff(
            session,
            StaffRow(code="rsj-duty2", department="rsj", wecom_user_id="liduty"),
            actor="test",
        )
    with running_wecom_api("wwcorp", {1000002: "app-secret"}, {"liduty"}, set()) as (url, api):
        wecom = WeComAppNotifier("wwcorp", SecretStr("app-secret"), 1000002, api_base_url=url)
        service = AlertService(
            county.database,
            county.calendar,
            AlertSettings(retry_seconds=30),
            Notifiers(personal=(wecom,)),
            clock=county.clock,
        )
        county.open_ticket(county.clock.now)
        county.clock.now += timedelta(minutes=31)
        service.scan_now()
        api.fail_next(2, status=502)  # WeCom is down for a while
        assert await service.dispatch_once() == 0
        county.clock.now += timedelta(seconds=31)
        assert await service.dispatch_once() == 0
        county.clock.now += timedelta(seconds=61)
        assert await service.dispatch_once() == 1  # the third attempt goes through
        assert await service.dispatch_once() == 0
        [alert] = [a for a in county.alerts("ack") if a.notifier == "wecom_app"]
        assert (alert.status, alert.attempts) == (AlertStatus.SENT, 3)
        assert len(api.texts_to("liduty")) == 1 and "工单" in api.texts_to("liduty")[0]


async def test_replying_to_a_telegram_alert_answers_the_citizen(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("转人工")
    with runtime.database.session() as session:
        staff = upsert_staff(
            session,
            StaffRow(code="zfb-duty", department="zfb", telegram_chat_id="7001"),
            actor="test",
        )
        session.add(
            Alert(
                rule="ack",
                firing=f"ack:{turn.ticket_id}",
                staff_id=staff.id,
                notifier="telegram",
                ticket_id=turn.ticket_id,
                subject="新留言待认领",
                body="…",
                status=AlertStatus.SENT,
                provider_message_id="501",
            )
        )
    with FakeTelegramApi([STAFF_BOT]).running() as api:
        replies = TelegramStaffReplies(
            runtime.database,
            {"web": WebChatChannel(runtime, default_account=runtime.settings.default_account)},
            deliveries=runtime.deliveries,
            token=STAFF_BOT,
            base_url=api.base_url,
            poll_timeout=0,
        )
        chat = {"id": 7001, "type": "private", "first_name": "李"}
        api.queue_update(
            STAFF_BOT,
            {
                "update_id": 1,
                "message": {
                    "message_id": 600,
                    "date": 1763700000,
                    "chat": chat,
                    "from": {"id": 7001, "is_bot": False, "first_name": "李"},
                    "text": "您好，失业金可在浙里办申领。",
                    "reply_to_message": {
                        "message_id": 501,
                        "date": 1763690000,
                        "chat": chat,
                        "text": "新留言待认领",
                    },
                },
            },
        )
        assert await replies.poll_once() == 1
        confirmation = api.sent_to(7001)[-1].text
    assert "已送达群众" in confirmation
    with runtime.database.session() as session:
        ticket = session.get(Ticket, turn.ticket_id)
        assert ticket is not None and ticket.status is TicketStatus.ANSWERED
        staff_text = session.scalars(
            select(Message.text).where(Message.author == "staff:陈值班")
        ).one()
    assert staff_text == "您好，失业金可在浙里办申领。"
