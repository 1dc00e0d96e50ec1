"""The durable outbox: planned alerts become rows once per firing, staff member and notifier.

Inserting ignores rows that exist already, so scans may repeat and several schedulers may run;
the dispatcher leases due rows (SKIP LOCKED on PostgreSQL) so only one process sends each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers.alerts.planning import PlannedAlert
from handlers.alerts.settings import AlertSettings
from handlers.workdays import WorkCalendar
from knowledge_base.alerts import add_alerts
from knowledge_base.models import AlertStatus, Staff

# Where an alert stands, as staff say it.
STATUS_NAMES = {
    AlertStatus.PENDING: "待发送",
    AlertStatus.SENT: "已发送",
    AlertStatus.FAILED: "发送失败",
}

# The notifier of a row for someone no configured notifier reaches (no address on file).
UNREACHABLE = "unreachable"
# How an alert goes out, as staff say it ("wecom_robot:{department}" rows are group robots).
NOTIFIER_NAMES = {
    "email": "邮件",
    "telegram": "Telegram",
    "wecom_app": "企业微信",
    "wecom_robot": "企业微信群机器人",
    UNREACHABLE: "无可用联系方式",
}


def notifier_name(notifier: str) -> str:
    """An outbox row's notifier in Chinese; a group robot keeps its department's code."""
    kind, _, department = notifier.partition(":")
    name = NOTIFIER_NAMES.get(kind, kind)
    return f"{name}（{department}）" if department else name


def release_time(
    urgent: bool, now: datetime, calendar: WorkCalendar, settings: AlertSettings
) -> datetime:
    """When an alert may go out: office hours for reminders, outside quiet hours for urgent
    ones. The dispatcher asks again before every send, so retries and backlogs obey it too."""
    return calendar.release(now, settings.quiet_hours, urgent=urgent)


def enqueue(
    session: Session,
    planned: Sequence[PlannedAlert],
    *,
    notifiers_for: Callable[[Staff], list[str]],
    now: datetime,
    calendar: WorkCalendar,
    settings: AlertSettings,
) -> int:
    """Store the planned alerts; returns how many rows were new."""
    rows: list[dict[str, Any]] = []
    release = {urgent: release_time(urgent, now, calendar, settings) for urgent in (False, True)}
    for alert in planned:
        not_before = release[alert.urgent]
        for staff in alert.staff:
            names = notifiers_for(staff)
            for name in names or [UNREACHABLE]:
                rows.append(
                    {
                        "rule": alert.rule,
                        "firing": alert.firing,
                        "staff_id": staff.id,
                        "notifier": name,
                        "ticket_id": alert.ticket_id,
                        "subject": alert.subject,
                        "body": alert.body,
                        "urgent": alert.urgent,
                        # With no way to reach the person the row stays visible as failed.
                        "status": (AlertStatus.FAILED if not names else AlertStatus.PENDING).value,
                        "attempts": 0,
                        "not_before": not_before,
                        "next_attempt_at": not_before,
                        "last_error": "" if names else "没有可用的通知方式",
                        "provider_message_id": "",
                        "created_at": now,
                    }
                )
    return add_alerts(session, rows=rows) if rows else 0
