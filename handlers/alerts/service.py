"""The alert service: scans and dispatches on a schedule (APScheduler), in any number of
processes — the outbox's unique keys and leases keep alerts from going out twice."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from handlers.alerts.dispatch import Dispatcher, recipient_of
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.outbox import enqueue
from handlers.alerts.planning import PlannedAlert
from handlers.alerts.recipients import Ladder
from handlers.alerts.scan import ScanResult, scan
from handlers.alerts.settings import AlertSettings
from handlers.compose import Reply
from handlers.deliveries import STAFF_PREFIX, Deliveries, Settled
from handlers.messages import SendOutcome
from handlers.tickets.service import ReplyChannel
from handlers.workdays import WorkCalendar
from knowledge_base.db import Database
from knowledge_base.models import Delivery, Staff
from knowledge_base.staff import staff_by_key
from knowledge_base.storable import unreachable

log = logging.getLogger(__name__)


class AlertService:
    """Owns the notifiers and runs scans and dispatches."""

    def __init__(
        self,
        database: Database,
        calendar: WorkCalendar,
        settings: AlertSettings,
        notifiers: Notifiers,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.database = database
        self.calendar = calendar
        self.settings = settings
        self.notifiers = notifiers
        self.clock = clock
        self.dispatcher = Dispatcher(database, notifiers.by_name(), settings, calendar, clock=clock)

    def notifiers_for(self, staff: Staff) -> list[str]:
        """Names of the notifiers that reach this staff member: their own addresses, plus their
        department's duty group robot (a robot reaches anyone, so it is picked by department)."""
        recipient = recipient_of(staff)
        names = [n.name for n in self.notifiers.personal if n.reaches(recipient)]
        robot = self.notifiers.group_robots.get(staff.department.code)
        return [*names, robot.name] if robot is not None else names

    def scan_now(self) -> ScanResult:
        """One scan at the clock's time (blocking)."""
        return scan(
            self.database,
            now=self.clock(),
            calendar=self.calendar,
            settings=self.settings,
            notifiers_for=self.notifiers_for,
        )

    async def scan_once(self) -> ScanResult:
        """One scan in a worker thread."""
        result = await asyncio.to_thread(self.scan_now)
        if result.stored:
            log.info(
                "alert scan: %d planned, %d new in %.0f ms",
                result.planned,
                result.stored,
                result.seconds * 1000,
            )
        return result

    def alert_supervisors(self, *, firing: str, subject: str, body: str) -> int:
        """Put an urgent alert for the supervising office in the outbox now (blocking); the
        next dispatch sends it. Returns how many outbox rows were new."""
        now = self.clock()
        with self.database.session() as session:
            staff = Ladder(session, now.astimezone(self.calendar.tz).date()).supervisors()
            alert = PlannedAlert(
                rule="spool_quarantine",
                firing=firing,
                staff=tuple(staff),
                subject=subject,
                body=body,
                urgent=True,
            )
            return enqueue(
                session,
                [alert],
                notifiers_for=self.notifiers_for,
                now=now,
                calendar=self.calendar,
                settings=self.settings,
            )

    async def dispatch_once(self) -> int:
        """Send what is due."""
        return await self.dispatcher.run_once()

    async def redeliver_once(
        self, deliveries: Deliveries, channels: Mapping[str, ReplyChannel]
    ) -> int:
        """Try again the replies to citizens whose platform was unreachable; returns how many
        reached the citizen now. A staff reply that finally failed is reported to its author."""
        sent = 0
        for push in await asyncio.to_thread(deliveries.claim_due):
            channel = channels.get(push.channel)
            if channel is None:
                outcome = SendOutcome(Delivery.FAILED, f"渠道 {push.channel} 未启用，无法送达")
            else:
                try:
                    outcome = await channel.deliver(
                        account=push.account, citizen_id=push.citizen_id, reply=Reply(push.text)
                    )
                except Exception as exc:  # an adapter bug must not stop the other pushes
                    log.exception("redelivery of message %s crashed", push.message_id)
                    outcome = SendOutcome(Delivery.FAILED, type(exc).__name__, retry=True)
            settled = await asyncio.to_thread(deliveries.record, push.message_id, outcome)
            if settled.state is Delivery.SENT:
                sent += 1
            elif settled.state is Delivery.FAILED and settled.author.startswith(STAFF_PREFIX):
                await asyncio.to_thread(self.report_failed_reply, settled)
        return sent

    def report_failed_reply(self, settled: Settled) -> int:
        """Tell the staff member whose reply could not be delivered (once per reply)."""
        name = settled.author.removeprefix(STAFF_PREFIX)
        with self.database.session() as session:
            staff = staff_by_key(session, key=name)
            if staff is None:
                log.warning("failed reply %s: no staff record for its author", settled.message_id)
                return 0
            ticket = f"工单 #{settled.ticket_id}" if settled.ticket_id else "对话"
            alert = PlannedAlert(
                rule="reply_failed",
                firing=f"reply-failed:{settled.message_id}",
                staff=(staff,),
                subject=f"{ticket}的答复未能送达群众",
                body=(
                    f"您对{ticket}的答复多次尝试后仍未送达：{settled.detail}。"
                    "请改用其他方式联系群众，或在控制台查看。"
                ),
                ticket_id=settled.ticket_id,
            )
            return enqueue(
                session,
                [alert],
                notifiers_for=self.notifiers_for,
                now=self.clock(),
                calendar=self.calendar,
                settings=self.settings,
            )

    def start(
        self,
        redelivery: tuple[Deliveries, Mapping[str, ReplyChannel]] | None = None,
    ) -> AsyncIOScheduler:
        """Schedule scans and dispatches in the running event loop."""
        scheduler = AsyncIOScheduler(timezone=str(self.calendar.tz))
        scheduler.add_job(
            self._guarded(self.scan_once),
            "interval",
            seconds=self.settings.scan_seconds,
            id="alert-scan",
            max_instances=1,
            coalesce=True,
            next_run_time=self.clock(),
        )
        scheduler.add_job(
            self._guarded(self.dispatch_once),
            "interval",
            seconds=self.settings.dispatch_seconds,
            id="alert-dispatch",
            max_instances=1,
            coalesce=True,
        )
        if redelivery is not None:
            deliveries, channels = redelivery
            scheduler.add_job(
                self._guarded(lambda: self.redeliver_once(deliveries, channels)),
                "interval",
                seconds=self.settings.dispatch_seconds,
                id="reply-redelivery",
                max_instances=1,
                coalesce=True,
            )
        scheduler.start()
        return scheduler

    async def close(self) -> None:
        """Release the notifiers' clients."""
        await self.notifiers.close()

    @staticmethod
    def _guarded(job: Callable[[], object]) -> Callable[[], object]:
        async def run() -> None:
            try:
                await job()  # type: ignore[misc]
            except asyncio.CancelledError:
                return  # the process is stopping; the outbox keeps whatever was not done
            except Exception as exc:  # a failing database only delays the next run
                if unreachable(exc):
                    log.warning("scheduled alert job waits for the database")
                else:
                    log.exception("scheduled alert job failed")

        return run
