"""The hotline look-up log: record a look-up, mark how the call ended, read back the unanswered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from knowledge_base.errors import KbError
from knowledge_base.models import Department, DepartmentKind, Entry
from knowledge_base.models.base import utcnow
from knowledge_base.models.lookups import HotlineLookup, LookupOutcome

# Decisions that did not give the caller an answer from the knowledge base.
NOT_ANSWERED = ("fallback", "route", "clarify")


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What an operator tells a caller about the answer's authority: owner and validity."""

    department: str
    version: int | None
    valid_from: date | None
    valid_until: date | None


def entry_facts(session: Session, *, code: str) -> EntryFacts | None:
    """The owner department and the live version's validity of entry `code`."""
    entry = session.scalar(select(Entry).where(Entry.code == code))
    if entry is None:
        return None
    live = entry.live_version
    return EntryFacts(
        department=entry.department.name,
        version=entry.live_version_number,
        valid_from=live.valid_from if live else None,
        valid_until=live.valid_until if live else None,
    )


def _inbox_department(session: Session, *, operator_department: int | None, referral: str) -> int:
    if operator_department is not None:
        return operator_department
    if referral:
        found = session.scalar(select(Department.id).where(Department.name == referral))
        if found is not None:
            return found
    master = session.scalar(
        select(Department.id).where(Department.kind == DepartmentKind.MASTER).limit(1)
    )
    if master is None:
        raise KbError("知识库中没有主管单位，无法记录查询。")
    return master


def record_lookup(
    session: Session,
    *,
    operator: str,
    operator_department: int | None,
    masked_text: str,
    decision: str,
    entry_code: str = "",
    referral: str = "",
) -> HotlineLookup:
    """Log one look-up (the text must already be masked)."""
    row = HotlineLookup(
        operator=operator,
        text=masked_text,
        decision=decision,
        entry_code=entry_code,
        referral=referral[:200],
        department_id=_inbox_department(
            session, operator_department=operator_department, referral=referral
        ),
    )
    session.add(row)
    session.flush()
    return row


def mark_outcome(
    session: Session, *, lookup_id: int, operator: str, outcome: LookupOutcome, any_operator: bool
) -> HotlineLookup:
    """Record how the call ended; only the operator who looked it up (or an admin) may."""
    row = session.get(HotlineLookup, lookup_id)
    if row is None or (row.operator != operator and not any_operator):
        raise KbError("没有这条查询记录。")
    row.outcome = outcome
    row.outcome_at = utcnow()
    return row


@dataclass(frozen=True, slots=True)
class UnansweredCall:
    """A look-up whose caller did not get an answer from the knowledge base."""

    text: str
    decision: str
    department_id: int
    at: datetime


def unanswered_calls(
    session: Session, *, since: datetime, department_id: int | None, limit: int
) -> list[UnansweredCall]:
    """Look-ups since `since` that found no answer, or whose caller had to be transferred."""
    query = (
        select(HotlineLookup)
        .where(
            HotlineLookup.created_at >= since,
            or_(
                HotlineLookup.decision.in_(NOT_ANSWERED),
                HotlineLookup.outcome == LookupOutcome.TRANSFERRED,
            ),
        )
        .order_by(HotlineLookup.id)
        .limit(limit)
    )
    if department_id is not None:
        query = query.where(HotlineLookup.department_id == department_id)
    return [
        UnansweredCall(
            row.text,
            row.decision if row.decision in NOT_ANSWERED else "hotline_transfer",
            row.department_id,
            row.created_at,
        )
        for row in session.scalars(query)
        if row.text.strip()
    ]
