"""Dashboard figures for a period, for one department or the whole county."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.console.unanswered import (
    QuestionGroup,
    group_questions,
)
from knowledge_base.departments import list_departments
from knowledge_base.message_counts import arrivals, reply_decisions, top_answers
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
    index = {day: i for i, day in enumerate(days)}
    for at, channel in arrivals(session, start=start, end=end, department_id=department_id):
        slot = index.get(at.astimezone(tz).date())
        if slot is not None:
            figures.per_day.setdefault(channel, [0] * len(days))[slot] += 1
    outcomes: Counter[str] = Counter()
    replies = reply_decisions(session, start=start, end=end, department_id=department_id)
    for decision, intent, n in replies:
        outcomes[_outcome(decision, intent)] += n
    figures.outcomes = [(OUTCOME_NAMES[k], outcomes[k]) for k in OUTCOME_NAMES]
    figures.top_questions = top_answers(
        session, start=start, end=end, department_id=department_id, limit=10
    )
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
