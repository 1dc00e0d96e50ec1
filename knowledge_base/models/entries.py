"""Knowledge-base entries, their working drafts and their immutable published versions.

An entry has at most one working draft (being edited or in review) and a list of published
versions; `live_version` names the version citizens see while the entry is published.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow
from knowledge_base.models.departments import Department


class EntryStatus(enum.StrEnum):
    """Lifecycle of an entry: draft → in_review → published → retired."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RETIRED = "retired"


class DraftState(enum.StrEnum):
    """State of a working draft: being edited, or waiting for a reviewer."""

    EDITING = "editing"
    IN_REVIEW = "in_review"


CONTENT_FIELDS = (
    "question",
    "alternates",
    "answer",
    "tags",
    "source_title",
    "source_url",
    "valid_from",
    "valid_until",
)


class EntryContentMixin:
    """The fields an editor writes; shared by drafts and versions."""

    question: Mapped[str] = mapped_column(Text)
    alternates: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_title: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(String(1000), default="")
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)

    def content(self) -> dict[str, Any]:
        """The content fields as a plain dict, for comparison and copying."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


class Entry(Base):
    """A question with one owner department and one authoritative answer."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[EntryStatus] = mapped_column(
        Enum(EntryStatus, native_enum=False, length=16, values_callable=enum_values),
        default=EntryStatus.DRAFT,
        index=True,
    )
    # A number, not a foreign key, to avoid a cycle between entries and entry_versions.
    live_version_number: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")
    draft: Mapped[EntryDraft | None] = relationship(
        back_populates="entry", cascade="all, delete-orphan", uselist=False
    )
    versions: Mapped[list[EntryVersion]] = relationship(
        back_populates="entry", order_by="EntryVersion.number"
    )

    @property
    def live_version(self) -> EntryVersion | None:
        """The version citizens see, if the entry is published."""
        if self.status is not EntryStatus.PUBLISHED or self.live_version_number is None:
            return None
        return next((v for v in self.versions if v.number == self.live_version_number), None)

    @property
    def latest_version(self) -> EntryVersion | None:
        """The most recent published version, also for retired entries."""
        return self.versions[-1] if self.versions else None


class EntryDraft(EntryContentMixin, Base):
    """The working copy an editor changes; at most one per entry."""

    __tablename__ = "entry_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), unique=True)
    author: Mapped[str] = mapped_column(String(200))
    # Everyone who changed this draft; none of them may review it.
    contributors: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[DraftState] = mapped_column(
        Enum(DraftState, native_enum=False, length=16, values_callable=enum_values),
        default=DraftState.EDITING,
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="draft")


class EntryVersion(EntryContentMixin, Base):
    """A published state of an entry; never changed once written."""

    __tablename__ = "entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    author: Mapped[str] = mapped_column(String(200))
    reviewer: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[Entry] = relationship(back_populates="versions")
    department: Mapped[Department] = relationship()


@event.listens_for(EntryVersion, "before_update")
def _versions_are_immutable(*_: object) -> None:
    raise RuntimeError("published entry versions are immutable")
