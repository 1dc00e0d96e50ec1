"""Delivery windows hold on every send path: first try, retry, backlog and digest.

Reminders leave only in office hours; urgent alerts never in quiet hours, whichever way the
quiet hours lie (across midnight or not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.alerts.notifiers.base import AlertMessage, NotifierError, Recipient
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.service import AlertService
from handlers.alerts.settings import AlertSettings
from knowledge_base.models import AlertStatus
from tests.handlers.alerts.conftest import TZ, County, InboxNotifier


@dataclass
class DownNotifier(InboxNotifier):
    """An inbox whose server is down until `up` is set (SMTP unreachable)."""

    up: bool = False
    tries: list[datetime] = field(default_factory=list)

    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        if not self.up:
            raise NotifierError("connection refused")
        return await super().send(recipient, message)


def service_with(county: County, notifier: InboxNotifier, **settings: object) -> AlertService:
    return AlertService(
        county.database,
        county.calendar,
        AlertSettings(**settings),  # type: ignore[arg-type]
        Notifiers(personal=(notifier,)),
        clock=county.clock,
    )


async def test_a_retried_reminder_waits_for_office_hours(county: County) -> None:
    down = DownNotifier()
    service = service_with(county, down, retry_seconds=3600)
    county.open_ticket(datetime(2026, 11, 20, 16, 0, tzinfo=TZ))  # Friday
    county.clock.set(2026, 11, 20, 16, 40)
    service.scan_now()
    assert await service.dispatch_once() == 0  # SMTP is down: the retry is due at 17:40
    down.up = True
    county.clock.set(2026, 11, 20, 23, 30)  # the retry comes due at night
    assert await service.dispatch_once() == 0
    assert down.sent == []
    county.clock.set(2026, 11, 23, 8, 29)  # Monday, just before office hours
    assert await service.dispatch_once() == 0
    county.clock.set(2026, 11, 23, 8, 30)
    assert await service.dispatch_once() > 0
    assert all(a.status is AlertStatus.SENT for a in county.alerts("ack"))


async def test_a_backlog_dispatched_late_waits_for_office_hours(county: County) -> None:
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    county.clock.set(2026, 11, 20, 9, 40)
    county.service.scan_now()  # planned in office hours, but the dispatcher was not running
    county.clock.set(2026, 11, 20, 23, 30)
    assert await county.service.dispatch_once() == 0
    assert county.inbox.sent == []
    county.clock.set(2026, 11, 23, 8, 30)
    assert await county.service.dispatch_once() > 0


async def test_the_digest_dispatched_late_waits_for_the_next_office_hours(county: County) -> None:
    county.clock.set(2026, 11, 20, 8, 35)
    county.service.scan_now()
    assert county.alerts("digest")
    county.clock.set(2026, 11, 20, 22, 0)
    assert await county.service.dispatch_once() == 0
    county.clock.set(2026, 11, 23, 8, 30)
    assert await county.service.dispatch_once() > 0


async def test_quiet_hours_that_do_not_cross_midnight(county: County) -> None:
    inbox = InboxNotifier()
    service = service_with(county, inbox, quiet_from="01:00", quiet_until="06:00")
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))  # overdue from Monday 17:30
    county.clock.set(2026, 11, 24, 14, 0)  # an urgent alert at 14:00 is not held
    service.scan_now()
    assert await service.dispatch_once() > 0
    county.clock.set(2026, 11, 25, 3, 0)  # the next day's overdue alert at 03:00 is held
    service.scan_now()
    before = len(inbox.sent)
    assert await service.dispatch_once() == 0
    county.clock.set(2026, 11, 25, 6, 0)
    assert await service.dispatch_once() > 0 and len(inbox.sent) > before


async def test_quiet_hours_from_midnight_and_none_at_all(county: County) -> None:
    inbox = InboxNotifier()
    service = service_with(county, inbox, quiet_from="00:00", quiet_until="07:00")
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    county.clock.set(2026, 11, 24, 14, 0)
    service.scan_now()
    assert await service.dispatch_once() > 0
    none = service_with(county, InboxNotifier(), quiet_from="00:00", quiet_until="00:00")
    county.clock.set(2026, 11, 25, 3, 0)
    none.scan_now()
    assert await none.dispatch_once() > 0  # equal bounds: no quiet hours


async def test_quiet_all_day_sends_urgent_alerts_in_office_hours(county: County) -> None:
    inbox = InboxNotifier()
    service = service_with(county, inbox, quiet_from="00:00", quiet_until="24:00")
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    county.clock.set(2026, 11, 24, 3, 0)
    service.scan_now()
    assert await service.dispatch_once() == 0
    county.clock.now += timedelta(hours=5, minutes=30)  # 08:30
    assert await service.dispatch_once() > 0
