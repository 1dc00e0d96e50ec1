"""A reply's delivery state is what the platform answered; passing failures wait in a retry
queue with backoff, and a staff reply that finally failed is noted and reported to its author."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.runtime import Runtime
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.service import AlertService
from handlers.alerts.settings import AlertSettings
from handlers.compose import Reply
from handlers.deliveries import Deliveries, RetryPolicy
from handlers.messages import SendOutcome
from handlers.tickets import service
from handlers.turn import Turn
from knowledge_base.clock import CountyClock
from knowledge_base.models import Alert, Delivery, Message, Ticket, TicketStatus
from tests.handlers.alerts.conftest import InboxNotifier

Ask = Callable[..., Awaitable[Turn]]


@dataclass
class FlakyChannel:
    """A channel whose platform answers with the queued outcomes, then "sent"."""

    outcomes: list[SendOutcome] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        if self.outcomes:
            return self.outcomes.pop(0)
        self.delivered.append(reply.text)
        return SendOutcome(Delivery.SENT)


DOWN = SendOutcome(Delivery.FAILED, "NetworkError: connection refused", retry=True)


@dataclass
class Moment:
    now: datetime = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in the county

    def __call__(self) -> datetime:
        return self.now


def queue(runtime: Runtime, moment: Moment, attempts: int = 3) -> Deliveries:
    clock = CountyClock(runtime.settings.tz, moment)
    return Deliveries(runtime.database, clock, RetryPolicy(max_attempts=attempts, retry_seconds=60))


def alerts_at(runtime: Runtime, moment: Moment) -> AlertService:
    return AlertService(
        runtime.database,
        runtime.calendar,
        AlertSettings(),
        Notifiers(personal=(InboxNotifier(),)),
        clock=moment,
    )


def message(runtime: Runtime, text: str) -> Message:
    with runtime.database.session() as session:
        return session.scalars(select(Message).where(Message.text == text)).one()


async def test_an_unreachable_platform_leaves_the_reply_pending_until_it_arrives(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("转人工", citizen="flaky-1")
    assert turn.ticket_id is not None
    moment = Moment()
    deliveries = queue(runtime, moment)
    channel = FlakyChannel([DOWN])
    outcome = await service.reply(
        runtime.database,
        {"web": channel},
        ticket_id=turn.ticket_id,
        text="您好，已为您查询。",
        staff="李值班",
        deliveries=deliveries,
    )
    assert not outcome.delivered and "重试" in outcome.detail
    pending = message(runtime, "您好，已为您查询。")
    assert pending.delivery is Delivery.PENDING and pending.delivery_error.startswith("Network")
    with runtime.database.session() as session:
        ticket = session.get(Ticket, turn.ticket_id)
        assert ticket is not None and ticket.status is not TicketStatus.ANSWERED
        assert "将自动重试" in ticket.note

    alerts = alerts_at(runtime, moment)
    assert await alerts.redeliver_once(deliveries, {"web": channel}) == 0  # not due yet
    moment.now += timedelta(seconds=61)
    assert await alerts.redeliver_once(deliveries, {"web": channel}) == 1
    assert channel.delivered == ["您好，已为您查询。"]
    assert message(runtime, "您好，已为您查询。").delivery is Delivery.SENT
    with runtime.database.session() as session:
        ticket = session.get(Ticket, turn.ticket_id)
        assert ticket is not None and ticket.status is TicketStatus.ANSWERED and not ticket.note


async def test_a_staff_reply_that_finally_fails_is_noted_and_reported_to_its_author(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("转人工", citizen="flaky-2")
    assert turn.ticket_id is not None
    moment = Moment()
    deliveries = queue(runtime, moment, attempts=2)
    channel = FlakyChannel([DOWN, DOWN, DOWN])
    await service.reply(
        runtime.database,
        {"web": channel},
        ticket_id=turn.ticket_id,
        text="请于周一来办理。",
        staff="李值班",
        deliveries=deliveries,
    )
    moment.now += timedelta(minutes=5)
    alerts = alerts_at(runtime, moment)
    assert await alerts.redeliver_once(deliveries, {"web": channel}) == 0
    failed = message(runtime, "请于周一来办理。")
    assert failed.delivery is Delivery.FAILED and failed.delivery_attempts == 2
    assert failed.delivery_error == "NetworkError: connection refused"
    with runtime.database.session() as session:
        ticket = session.get(Ticket, turn.ticket_id)
        assert ticket is not None and "答复未送达：NetworkError" in ticket.note
        [report] = session.scalars(select(Alert).where(Alert.rule == "reply_failed"))
        assert report.staff.name == "李值班" and report.ticket_id == turn.ticket_id
    moment.now += timedelta(hours=1)
    assert await alerts.redeliver_once(deliveries, {"web": channel}) == 0  # final: not retried


async def test_a_refusal_that_cannot_change_fails_at_once(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("转人工", citizen="flaky-3")
    assert turn.ticket_id is not None
    blocked = SendOutcome(Delivery.FAILED, "forbidden: bot was blocked by the user")
    outcome = await service.reply(
        runtime.database,
        {"web": FlakyChannel([blocked])},
        ticket_id=turn.ticket_id,
        text="您好。",
        staff="李值班",
        deliveries=queue(runtime, Moment()),
    )
    assert not outcome.delivered and outcome.detail == blocked.detail
    assert message(runtime, "您好。").delivery is Delivery.FAILED
