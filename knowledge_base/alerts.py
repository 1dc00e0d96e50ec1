"""The staff-alert outbox in storage: adding rows once, leasing due ones, recording attempts,
and finding the ticket a staff member's reply to an alert belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge_base.concurrent_writes import insert_once, lock_oldest
from knowledge_base.models import Alert, AlertStatus, Staff

_BATCH = 1000  # rows per insert statement


def add_alerts(session: Session, *, rows: list[dict[str, Any]]) -> int:
    """Insert outbox rows, leaving out those whose (firing, staff, notifier) exist already;
    returns how many are new."""
    statement = insert_once(session, Alert, ["firing", "staff_id", "notifier"])
    new = 0
    for start in range(0, len(rows), _BATCH):
        result = session.execute(statement.returning(Alert.id), rows[start : start + _BATCH])
        new += len(result.all())
    return new


def has_fired(session: Session, *, firing: str) -> bool:
    """Whether the outbox holds a row of this firing."""
    return session.scalar(select(Alert.id).where(Alert.firing == firing).limit(1)) is not None


def lock_due_alerts(
    session: Session, *, now: datetime, notifiers: Iterable[str], limit: int
) -> list[Alert]:
    """Pending rows due by `now` for the given notifiers, oldest first, locked for this
    transaction (rows another process holds are skipped on PostgreSQL)."""
    return lock_oldest(
        session,
        Alert,
        Alert.status == AlertStatus.PENDING,
        Alert.next_attempt_at <= now,
        Alert.notifier.in_(list(notifiers)),
        limit=limit,
    )


def record_attempt(session: Session, *, alert_id: int, values: Mapping[str, object]) -> None:
    """Store the outcome of a send: the columns in `values` change."""
    session.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def newest_alerts(
    session: Session, *, limit: int, status: AlertStatus | None = None
) -> list[Alert]:
    """The newest `limit` outbox rows (in one state when given), newest first."""
    query = select(Alert).order_by(Alert.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Alert.status == status)
    return list(session.scalars(query))


def ticket_replied_to(
    session: Session, *, notifier: str, chat_id: str, replied_message_id: str
) -> tuple[int, str] | None:
    """The ticket and staff name behind the alert a staff chat is replying to, if any."""
    found = session.execute(
        select(Alert.ticket_id, Staff.name)
        .join(Staff, Staff.id == Alert.staff_id)
        .where(
            Alert.notifier == notifier,
            Alert.provider_message_id == replied_message_id,
            Staff.telegram_chat_id == chat_id,
            Alert.ticket_id.is_not(None),
        )
    ).first()
    return (int(found[0]), str(found[1])) if found else None
