"""The tickets the alert scan looks for: not acknowledged in time, deadline close, overdue.

The queries select plain columns rather than whole tickets: a scan may meet tens of thousands
of open tickets, and only a few fields go into an alert. Each leaves out the tickets already
alerted for under the rule named by `unless_alerted`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, exists, select
from sqlalchemy.orm import Session

from knowledge_base.models import Account, Alert, Ticket, TicketStatus

WAITING = (TicketStatus.OPEN, TicketStatus.ACKNOWLEDGED)
_COLUMNS = (
    Ticket.id,
    Ticket.department_id,
    Ticket.kind,
    Ticket.question,
    Ticket.first_response_due,
    Account.name.label("account"),
)


def unacknowledged_tickets(
    session: Session, *, now: datetime, unless_alerted: str
) -> list[Row[Any]]:
    """Open tickets whose acknowledgement was due by `now`."""
    return _tickets(
        session,
        Ticket.status == TicketStatus.OPEN,
        Ticket.ack_due <= now,
        _not_alerted(unless_alerted),
    )


def tickets_near_deadline(
    session: Session, *, now: datetime, unless_alerted: str
) -> list[Row[Any]]:
    """Waiting tickets past their warning time whose first response is not yet due."""
    return _tickets(
        session,
        Ticket.status.in_(WAITING),
        Ticket.warn_at <= now,
        Ticket.first_response_due > now,
        Ticket.first_response_at.is_(None),
        _not_alerted(unless_alerted),
    )


def overdue_tickets(
    session: Session, *, now: datetime, unless_alerted: str, alerted_since: datetime
) -> list[Row[Any]]:
    """Waiting tickets without a first response past its deadline, not alerted for since
    `alerted_since`."""
    return _tickets(
        session,
        Ticket.status.in_(WAITING),
        Ticket.first_response_at.is_(None),
        Ticket.first_response_due <= now,
        _not_alerted(unless_alerted, since=alerted_since),
    )


def _not_alerted(rule: str, since: datetime | None = None) -> ColumnElement[bool]:
    condition = and_(Alert.ticket_id == Ticket.id, Alert.rule == rule)
    if since is not None:
        condition = and_(condition, Alert.created_at >= since)
    return ~exists().where(condition)


def _tickets(session: Session, *conditions: ColumnElement[bool]) -> list[Row[Any]]:
    query = select(*_COLUMNS).join(Account, Account.id == Ticket.account_id).where(*conditions)
    return list(session.execute(query.order_by(Ticket.id)))
