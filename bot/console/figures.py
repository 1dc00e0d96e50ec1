"""Dashboard figures for a period, for one department or the whole county."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.console.unanswered import (
    QuestionGroup,
    group_questions,
)
from knowledge_base.departments import list_departments
from knowledge_base.models import (
    Account,
    Conversation,
    Direction,
    Entry,
    EntryVersion,
    Message,
)
from knowledge_base.service_figures import ServiceFigures, figures_by_department
from knowledge_base.unanswered import dismissed_forms, unanswered_messages

OUTCOME_NAMES = {
    "answer": "直接答复",
    "clarify": "澄清追问",
    "route": "转介部门",
    "fallback": "未找到答案",
    "handover": "转人工",
    "chat": "寒暄等",
}
HANDOVER_INTENTS = ("human", "complaint")


@dataclass(slots=True, kw_only=True)
class DepartmentFigures(ServiceFigures):
    """One line of the per-department table (the figures are `ServiceFigures`')."""

    name: str


@dataclass(slots=True, kw_only=True)
class Figures(ServiceFigures):
    """What the dashboard shows: the service figures, and the charts' series."""

    days: list[date]
    per_day: dict[str, list[int]] = field(default_factory=dict)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    top_questions: list[tuple[str, str, int]] = field(default_factory=list)
    top_unanswered: list[QuestionGroup] = field(default_factory=list)
    departments: list[DepartmentFigures] = field(default_factory=list)


def _scoped(query: Select[Any], department_id: int | None) -> Select[Any]:
    query = query.join(Conversation, Conversation.id == Message.conversation_id).join(
        Account, Account.id == Conversation.account_id
    )
    return query.where(Account.department_id == department_id) if department_id else query


def _outcome(decision: str, intent: str | None) -> str:
    if decision == "intent":
        return "handover" if intent in HANDOVER_INTENTS else "chat"
    return decision if decision in OUTCOME_NAMES else "chat"


def collect(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    tz: ZoneInfo,
    department_id: int | None,
) -> Figures:
    """Figures of [start, end) and what is overdue `now`."""
    first_day = start.astimezone(tz).date()
    count_days = max(1, (end.astimezone(tz).date() - first_day).days)
    days = [first_day + timedelta(days=i) for i in range(count_days)]
    figures = Figures(days=days)
    period = (Message.created_at >= start) & (Message.created_at < end)
    index = {day: i for i, day in enumerate(days)}
    arrivals = _scoped(select(Message.created_at, Conversation.channel), department_id).where(
        period, Message.direction == Direction.IN
    )
    for at, channel in session.execute(arrivals).tuples():
        slot = index.get(at.astimezone(tz).date())
        if slot is not None:
            figures.per_day.setdefault(channel, [0] * len(days))[slot] += 1
    replies = (
        _scoped(select(Message.decision, Message.intent, func.count()), department_id)
        .where(
            period,
            Message.direction == Direction.OUT,
            Message.decision.is_not(None),
            Message.decision != "staff",
        )
        .group_by(Message.decision, Message.intent)
    )
    outcomes: Counter[str] = Counter()
    for decision, intent, n in session.execute(replies).tuples():
        outcomes[_outcome(str(decision), intent)] += n
    figures.outcomes = [(OUTCOME_NAMES[k], outcomes[k]) for k in OUTCOME_NAMES]
    figures.top_questions = _top_questions(session, period, department_id)
    asked = unanswered_messages(session, since=start, department_id=department_id)
    figures.top_unanswered = group_questions(
        [a for a in asked if a.at < end], dismissed_forms(session)
    )[:10]
    every = figures_by_department(session, start=start, end=end, now=now)
    if department_id:
        figures.add(every.get(department_id, ServiceFigures()))
    else:
        for department_figures in every.values():
            figures.add(department_figures)
        for department in list_departments(session):
            line = DepartmentFigures(name=department.name)
            line.add(every.get(department.id, ServiceFigures()))
            figures.departments.append(line)
    return figures


def _top_questions(
    session: Session, period: Any, department_id: int | None
) -> list[tuple[str, str, int]]:
    query = (
        _scoped(select(Message.entry_code, func.count()), department_id)
        .where(period, Message.decision == "answer", Message.entry_code.is_not(None))
        .group_by(Message.entry_code)
        .order_by(func.count().desc())
        .limit(10)
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
