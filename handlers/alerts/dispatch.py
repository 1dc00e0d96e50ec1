"""Sending due outbox rows through their notifiers, with retries and backoff."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from handlers.alerts.notifiers.base import AlertMessage, Notifier, NotifierError, Recipient
from handlers.alerts.outbox import release_time
from handlers.alerts.settings import AlertSettings
from handlers.workdays import WorkCalendar
from knowledge_base.alerts import lock_due_alerts, record_attempt
from knowledge_base.db import Database
from knowledge_base.models import AlertStatus, Staff

log = logging.getLogger(__name__)


def recipient_of(staff: Staff) -> Recipient:
    """The addresses of a staff member, as notifiers need them."""
    return Recipient(
        staff_id=staff.id,
        name=staff.name,
        email=staff.email,
        telegram_chat_id=staff.telegram_chat_id,
        wecom_user_id=staff.wecom_user_id,
    )


@dataclass(frozen=True, slots=True)
class Claimed:
    """A leased outbox row, detached from its session."""

    id: int
    notifier: str
    attempts: int
    recipient: Recipient
    message: AlertMessage


class Dispatcher:
    """Leases due rows, sends them, and records the outcome."""

    def __init__(
        self,
        database: Database,
        notifiers: dict[str, Notifier],
        settings: AlertSettings,
        calendar: WorkCalendar,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch: int = 100,
    ) -> None:
        self.database = database
        self.notifiers = notifiers
        self.settings = settings
        self.calendar = calendar
        self.clock = clock
        self.batch = batch

    def _claim(self) -> list[Claimed]:
        now = self.clock()
        with self.database.session() as session:
            rows = lock_due_alerts(session, now=now, notifiers=self.notifiers, limit=self.batch)
            lease = now + timedelta(seconds=self.settings.lease_seconds)
            claimed = []
            for row in rows:
                # A retry or a backlog can come due at night: the window is checked at every
                # send, not only when the alert was planned.
                release = release_time(row.urgent, now, self.calendar, self.settings)
                if release > now:
                    row.next_attempt_at = release
                    continue
                row.next_attempt_at = lease  # another dispatcher skips it until the lease ends
                claimed.append(
                    Claimed(
                        id=row.id,
                        notifier=row.notifier,
                        attempts=row.attempts,
                        recipient=recipient_of(row.staff),
                        message=AlertMessage(
                            subject=row.subject, body=row.body, ticket_id=row.ticket_id
                        ),
                    )
                )
            return claimed

    def _finish(
        self, item: Claimed, *, provider_id: str | None, error: NotifierError | None
    ) -> None:
        now = self.clock()
        attempts = item.attempts + 1
        if error is None:
            values: dict[str, object] = {
                "status": AlertStatus.SENT,
                "sent_at": now,
                "attempts": attempts,
                "provider_message_id": provider_id or "",
                "last_error": "",
            }
        elif not error.retry or attempts >= self.settings.max_attempts:
            values = {
                "status": AlertStatus.FAILED,
                "attempts": attempts,
                "last_error": str(error)[:500],
            }
        else:
            backoff = self.settings.retry_seconds * 2 ** (attempts - 1)
            values = {
                "attempts": attempts,
                "last_error": str(error)[:500],
                "next_attempt_at": now + timedelta(seconds=backoff),
            }
        with self.database.session() as session:
            record_attempt(session, alert_id=item.id, values=values)

    async def run_once(self) -> int:
        """Send what is due now; returns how many were sent."""
        claimed = await asyncio.to_thread(self._claim)
        sent = 0
        for item in claimed:
            notifier = self.notifiers[item.notifier]
            try:
                provider_id = await notifier.send(item.recipient, item.message)
            except NotifierError as exc:
                log.warning("alert %s via %s failed: %s", item.id, item.notifier, exc)
                await asyncio.to_thread(self._finish, item, provider_id=None, error=exc)
                continue
            except Exception as exc:  # a notifier bug must not stop the others
                log.exception("alert %s via %s crashed", item.id, item.notifier)
                await asyncio.to_thread(
                    self._finish, item, provider_id=None, error=NotifierError(repr(exc))
                )
                continue
            await asyncio.to_thread(self._finish, item, provider_id=provider_id, error=None)
            sent += 1
        return sent
