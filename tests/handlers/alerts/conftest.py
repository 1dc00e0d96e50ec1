"""A county with staff and a roster, a settable clock, and an alert service to scan with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.settings import Settings
from handlers.alerts.notifiers.base import AlertMessage, Notifier, Recipient
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.service import AlertService
from handlers.alerts.settings import AlertSettings
from handlers.tickets.policy import TicketSettings, deadlines_for
from handlers.workdays import CalendarSettings, WorkCalendar
from knowledge_base.db import Database
from knowledge_base.models import (
    Account,
    Alert,
    Conversation,
    DutyShift,
    TicketKind,
)
from knowledge_base.staff import StaffRow, upsert_staff
from knowledge_base.tickets import open_ticket
from tests.live_server import county_database

TZ = ZoneInfo("Asia/Shanghai")


@dataclass
class Clock:
    """The time the alert service believes it is."""

    now: datetime = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now.astimezone(UTC)

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=TZ)  # type: ignore[misc]


@dataclass
class InboxNotifier(Notifier):
    """A notifier that keeps what it would have sent, as a staff member's inbox would."""

    name: str = "inbox"
    sent: list[tuple[str, str]] = field(default_factory=list)

    def reaches(self, recipient: Recipient) -> bool:
        return True

    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        self.sent.append((recipient.name, message.subject))
        return str(len(self.sent))


@dataclass
class County:
    """The sample county with alerting staff, ready to scan."""

    database: Database
    service: AlertService
    clock: Clock
    inbox: InboxNotifier
    calendar: WorkCalendar

    def alerts(self, rule: str | None = None) -> list[Alert]:
        with self.database.session() as session:
            query = select(Alert).order_by(Alert.id)
            if rule:
                query = query.where(Alert.rule == rule)
            return list(session.scalars(query))

    def open_ticket(self, opened: datetime, department: str = "rsj") -> int:
        """A ticket of the 人社 WeChat account opened at `opened`, with real deadlines."""
        deadlines = deadlines_for(
            TicketSettings(),
            self.calendar,
            kind="human_request",
            department=department,
            opened_at=opened,
        )
        with self.database.session() as session:
            account = session.scalars(
                select(Account).where(Account.code == "yunxi-renshe-wechat")
            ).one()
            conversation = Conversation(
                channel="wechat", account_id=account.id, citizen_id=f"o-{opened.timestamp()}"
            )
            session.add(conversation)
            session.flush()
            ticket = open_ticket(
                session,
                conversation_id=conversation.id,
                account_id=account.id,
                department_id=account.department_id,
                channel="wechat",
                kind=TicketKind.HUMAN_REQUEST,
                question="我要转人工，咨询失业金",
                opened_at=opened,
                deadlines=deadlines,
            )
            return ticket.id


STAFF = [
    StaffRow(code="rsj-duty", department="rsj", name="李值班", role="duty"),
    StaffRow(code="rsj-duty2", department="rsj", name="王轮值", role="duty"),
    StaffRow(code="rsj-leader", department="rsj", name="赵分管", role="leader"),
    StaffRow(code="zfb-office", department="zfb", name="周督查", role="supervisor"),
]


@pytest.fixture
def county(database_url: str) -> Iterator[County]:
    settings = Settings(database_url=database_url)
    database = county_database(settings)
    with database.session() as session:
        people = {row.code: upsert_staff(session, row, actor="test") for row in STAFF}
        # The roster puts 王轮值 on duty on 2026-11-20 only.
        session.add(
            DutyShift(
                department_id=people["rsj-duty2"].department_id,
                day=date(2026, 11, 20),
                staff_id=people["rsj-duty2"].id,
            )
        )
    clock = Clock()
    inbox = InboxNotifier()
    calendar = WorkCalendar(CalendarSettings(), tz=TZ)
    service = AlertService(
        database, calendar, AlertSettings(), Notifiers(personal=(inbox,)), clock=clock
    )
    yield County(database=database, service=service, clock=clock, inbox=inbox, calendar=calendar)
    database.dispose()
