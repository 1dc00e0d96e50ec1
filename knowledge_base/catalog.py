"""Listing, searching and counting entries for editors and dashboards."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from knowledge_base.models import Department, Entry, EntryDraft, EntryStatus, EntryVersion


def list_entries(
    session: Session,
    *,
    department: str | None = None,
    status: EntryStatus | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """Entries with their drafts and versions, filtered; ordered by code."""
    query = (
        select(Entry)
        .join(Entry.department)
        .order_by(Entry.code)
        .options(selectinload(Entry.versions), selectinload(Entry.draft))
    )
    if department:
        query = query.where(or_(Department.code == department, Department.name == department))
    if status:
        query = query.where(Entry.status == status)
    if search:
        pattern = f"%{search}%"
        query = query.where(
            or_(
                Entry.code.ilike(pattern),
                Entry.id.in_(
                    select(EntryVersion.entry_id).where(EntryVersion.question.ilike(pattern))
                ),
                Entry.id.in_(select(EntryDraft.entry_id).where(EntryDraft.question.ilike(pattern))),
            )
        )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def entries_with_codes(
    session: Session, *, codes: Iterable[str], department_id: int | None = None
) -> list[Entry]:
    """The entries whose codes are given (of one department when given)."""
    query = select(Entry).where(Entry.code.in_(list(codes)))
    if department_id is not None:
        query = query.where(Entry.department_id == department_id)
    return list(session.scalars(query))


def entry_stats(session: Session) -> dict[str, Any]:
    """Counts for `govbot kb stats`: entries by status, departments, versions."""
    by_status = dict(
        session.execute(select(Entry.status, func.count()).group_by(Entry.status)).tuples().all()
    )
    return {
        "entries": sum(by_status.values()),
        "published": by_status.get(EntryStatus.PUBLISHED, 0),
        "in_review": by_status.get(EntryStatus.IN_REVIEW, 0),
        "drafts": by_status.get(EntryStatus.DRAFT, 0),
        "retired": by_status.get(EntryStatus.RETIRED, 0),
        "pending_drafts": session.scalar(select(func.count()).select_from(EntryDraft)) or 0,
        "versions": session.scalar(select(func.count()).select_from(EntryVersion)) or 0,
        "departments": session.scalar(select(func.count()).select_from(Department)) or 0,
    }
