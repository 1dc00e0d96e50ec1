"""Building the read-only snapshot that answer engines index from the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge_base.audit import change_counter
from knowledge_base.models import (
    Department,
    Entry,
    EntryStatus,
    FallbackContact,
    SynonymGroupRow,
)
from knowledge_base.workflow import is_current
from nlu.snapshot import (
    Directory,
    DirectoryDepartment,
    Fallback,
    KbItem,
    KbSnapshot,
    SynonymGroup,
)


def load_snapshot(
    session: Session, *, today: date, directory: Directory | None = None
) -> KbSnapshot:
    """Published entries valid on `today` (the county's date, from its clock), synonyms and the
    referral directory."""
    revision = change_counter(session)
    entries = session.scalars(
        select(Entry)
        .where(Entry.status == EntryStatus.PUBLISHED)
        .order_by(Entry.code)
        .options(selectinload(Entry.versions))
    )
    items = []
    for entry in entries:
        version = entry.live_version
        if version is None or not is_current(version, today=today):
            continue
        items.append(
            KbItem(
                code=entry.code,
                question=version.question,
                answer=version.answer,
                department=entry.department.name,
                alternates=tuple(version.alternates),
                tags=tuple(version.tags),
                source_title=version.source_title,
                source_url=version.source_url,
            )
        )
    return KbSnapshot(
        items=tuple(items),
        synonyms=load_synonyms(session),
        directory=directory or load_directory(session),
        # Validity windows open and close with the date, so the date is part of the revision.
        revision=f"{revision}@{today.isoformat()}",
    )


def load_synonyms(session: Session) -> tuple[SynonymGroup, ...]:
    """All synonym groups with their department names."""
    names = dict(session.execute(select(Department.id, Department.name)).tuples().all())
    return tuple(
        SynonymGroup(
            canonical=row.canonical,
            variants=tuple(row.variants),
            department=names.get(row.department_id) if row.department_id else None,
        )
        for row in session.scalars(select(SynonymGroupRow).order_by(SynonymGroupRow.id))
    )


def load_directory(session: Session) -> Directory:
    """The referral directory from the departments table and the fallback contact."""
    departments = tuple(
        DirectoryDepartment(
            name=d.name,
            remit=d.remit,
            phone=d.phone,
            address=d.address,
            hours=d.hours,
            aliases=tuple(d.aliases),
        )
        for d in session.scalars(select(Department).order_by(Department.id))
    )
    contact = session.scalar(select(FallbackContact).order_by(FallbackContact.id))
    fallback = (
        Fallback(name=contact.name, phone=contact.phone, hours=contact.hours, note=contact.note)
        if contact
        else Fallback()
    )
    return Directory(departments=departments, fallback=fallback)
