"""Counts of stored messages over a period, for the dashboards: arrivals by channel, bot
replies by decision, and the entries that answered most often (of one department's accounts
when a department is given)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from knowledge_base.models import Account, Conversation, Direction, Entry, EntryVersion, Message


def arrivals(
    session: Session, *, start: datetime, end: datetime, department_id: int | None
) -> list[tuple[datetime, str]]:
    """When each citizen's message in [start, end) arrived, and on which channel."""
    query = _scoped(select(Message.created_at, Conversation.channel), department_id).where(
        _period(start, end), Message.direction == Direction.IN
    )
    return [(at, str(channel)) for at, channel in session.execute(query).tuples()]


def reply_decisions(
    session: Session, *, start: datetime, end: datetime, department_id: int | None
) -> list[tuple[str, str | None, int]]:
    """How many bot replies in [start, end) each (decision, intent) pair had; staff replies
    are left out."""
    query = (
        _scoped(select(Message.decision, Message.intent, func.count()), department_id)
        .where(
            _period(start, end),
            Message.direction == Direction.OUT,
            Message.decision.is_not(None),
            Message.decision != "staff",
        )
        .group_by(Message.decision, Message.intent)
    )
    return [(str(d), i, int(n)) for d, i, n in session.execute(query).tuples()]


def top_answers(
    session: Session, *, start: datetime, end: datetime, department_id: int | None, limit: int
) -> list[tuple[str, str, int]]:
    """(code, live question, answers) of the entries that answered most often in [start, end)."""
    query = (
        _scoped(select(Message.entry_code, func.count()), department_id)
        .where(_period(start, end), Message.decision == "answer", Message.entry_code.is_not(None))
        .group_by(Message.entry_code)
        .order_by(func.count().desc())
        .limit(limit)
    )
    top = [(str(code), int(n)) for code, n in session.execute(query).tuples()]
    questions = dict(
        session.execute(
            select(Entry.code, EntryVersion.question)
            .join(EntryVersion, EntryVersion.entry_id == Entry.id)
            .where(
                Entry.code.in_([code for code, _ in top]),
                EntryVersion.number == Entry.live_version_number,
            )
        )
        .tuples()
        .all()
    )
    return [(code, questions.get(code, code), n) for code, n in top]


def _period(start: datetime, end: datetime) -> ColumnElement[bool]:
    return (Message.created_at >= start) & (Message.created_at < end)


def _scoped(query: Select[Any], department_id: int | None) -> Select[Any]:
    query = query.join(Conversation, Conversation.id == Message.conversation_id).join(
        Account, Account.id == Conversation.account_id
    )
    return query.where(Account.department_id == department_id) if department_id else query
