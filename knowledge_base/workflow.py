"""The editorial workflow: draft → in review → published → retired, with versions and rollback.

Rules enforced here (先审后发): content reaches citizens only through `publish`, by a reviewer who
did not write it; every publication is a new immutable version; rollback republishes an old one.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge_base.audit import record_change
from knowledge_base.content import EntryContent
from knowledge_base.departments import get_department
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import (
    DraftState,
    Entry,
    EntryDraft,
    EntryStatus,
    EntryVersion,
)
from knowledge_base.models.base import utcnow
from nlu.privacy import mask_personal_data


def find_entry(session: Session, *, code: str) -> Entry | None:
    """An entry with its draft and versions loaded, or None."""
    return session.scalar(
        select(Entry)
        .where(Entry.code == code)
        .options(selectinload(Entry.versions), selectinload(Entry.draft))
    )


def get_entry(session: Session, *, code: str) -> Entry:
    """An entry with its draft and versions loaded, or NotFound."""
    entry = find_entry(session, code=code)
    if entry is None:
        raise NotFound(f"没有编号为 {code} 的条目")
    return entry


def save_draft(
    session: Session,
    *,
    code: str,
    content: EntryContent,
    author: str,
    department: str | None = None,
) -> Entry:
    """Create an entry or change its working draft; a new entry needs its owner department."""
    entry = session.scalar(
        select(Entry).where(Entry.code == code).options(selectinload(Entry.draft))
    )
    if entry is None:
        if department is None:
            raise KbError(f"新条目 {code} 必须指定所属部门")
        entry = Entry(code=code, department=get_department(session, key=department))
        session.add(entry)
    elif department is not None:
        entry.department = get_department(session, key=department)
    draft = entry.draft
    if draft is not None and draft.state is DraftState.IN_REVIEW:
        raise KbError(f"条目 {code} 正在审核中，请审核人先退回再修改")
    if draft is None:
        draft = EntryDraft(author=author, contributors=[author], **content.as_columns())
        entry.draft = draft
    else:
        for name, value in content.as_columns().items():
            setattr(draft, name, value)
        if author not in draft.contributors:
            draft.contributors = [*draft.contributors, author]
    session.flush()
    record_change(
        session,
        actor=author,
        action="entry.draft",
        target_type="entry",
        target=code,
        detail={"question": content.question},
    )
    return entry


def submit_for_review(session: Session, *, code: str, actor: str) -> Entry:
    """Hand the draft to reviewers."""
    entry = get_entry(session, code=code)
    draft = _require_draft(entry)
    if draft.state is DraftState.IN_REVIEW:
        raise KbError(f"条目 {code} 已在审核中")
    draft.state = DraftState.IN_REVIEW
    draft.submitted_at = utcnow()
    draft.review_comment = ""
    if entry.status is EntryStatus.DRAFT:
        entry.status = EntryStatus.IN_REVIEW
    record_change(session, actor=actor, action="entry.submit", target_type="entry", target=code)
    return entry


def reject(session: Session, *, code: str, reviewer: str, comment: str) -> Entry:
    """Send the draft back to its author with a comment."""
    entry = get_entry(session, code=code)
    draft = _require_review(entry)
    if not comment.strip():
        raise KbError("退回时请写明原因")
    draft.state = DraftState.EDITING
    # Shown to editors and in every listing, like an export: numbers masked.
    draft.review_comment = mask_personal_data(comment.strip())
    if entry.status is EntryStatus.IN_REVIEW:
        entry.status = EntryStatus.DRAFT
    record_change(
        session,
        actor=reviewer,
        action="entry.reject",
        target_type="entry",
        target=code,
        detail={"comment": comment.strip()},
    )
    return entry


def publish(session: Session, *, code: str, reviewer: str, reason: str = "") -> EntryVersion:
    """Approve the draft under review: it becomes a new live version."""
    entry = get_entry(session, code=code)
    draft = _require_review(entry)
    if reviewer in draft.contributors:
        raise KbError(f"审核人 {reviewer} 参与了条目 {code} 的编写，不能审核自己的内容")
    version = _new_version(
        session,
        entry=entry,
        content=draft.content(),
        author=", ".join(draft.contributors),
        reviewer=reviewer,
        reason=reason or "审核通过",
    )
    entry.draft = None
    record_change(
        session,
        actor=reviewer,
        action="entry.publish",
        target_type="entry",
        target=code,
        detail={"version": version.number, "reason": version.reason},
    )
    return version


def publish_directly(
    session: Session,
    *,
    entry: Entry,
    content: EntryContent,
    author: str,
    reviewer: str,
    reason: str,
) -> EntryVersion:
    """Publish content that was reviewed outside the system (a vetted import file)."""
    if author == reviewer:
        raise KbError("审核人不能是作者")
    version = _new_version(
        session,
        entry=entry,
        content=content.as_columns(),
        author=author,
        reviewer=reviewer,
        reason=reason,
    )
    record_change(
        session,
        actor=reviewer,
        action="entry.publish",
        target_type="entry",
        target=entry.code,
        detail={"version": version.number, "reason": reason, "author": author},
    )
    return version


def retire(session: Session, *, code: str, actor: str, reason: str) -> Entry:
    """Withdraw an entry from citizens; its history stays."""
    entry = get_entry(session, code=code)
    if entry.status is EntryStatus.RETIRED:
        raise KbError(f"条目 {code} 已经下线")
    if not reason.strip():
        raise KbError("下线时请写明原因")
    entry.status = EntryStatus.RETIRED
    record_change(
        session,
        actor=actor,
        action="entry.retire",
        target_type="entry",
        target=code,
        detail={"reason": reason.strip()},
    )
    return entry


def rollback(
    session: Session, *, code: str, to_version: int, actor: str, reason: str
) -> EntryVersion:
    """Publish an earlier version's content again, as a new version reviewed by `actor`."""
    entry = get_entry(session, code=code)
    old = next((v for v in entry.versions if v.number == to_version), None)
    if old is None:
        raise NotFound(f"条目 {code} 没有第 {to_version} 版")
    if actor in _people(old.author):
        raise KbError(f"{actor} 是第 {to_version} 版的作者，不能自行审核回退")
    version = _new_version(
        session,
        entry=entry,
        content=old.content(),
        author=old.author,
        reviewer=actor,
        reason=reason or f"回退到第 {to_version} 版",
    )
    record_change(
        session,
        actor=actor,
        action="entry.rollback",
        target_type="entry",
        target=code,
        detail={"to_version": to_version, "version": version.number},
    )
    return version


def is_current(version: EntryVersion, *, today: date) -> bool:
    """Whether a version is inside its validity period on `today`."""
    if version.valid_from is not None and today < version.valid_from:
        return False
    return version.valid_until is None or today <= version.valid_until


def _new_version(
    session: Session,
    *,
    entry: Entry,
    content: dict[str, object],
    author: str,
    reviewer: str,
    reason: str,
) -> EntryVersion:
    if not str(content.get("answer", "")).strip():
        raise KbError(f"条目 {entry.code} 没有答案，不能发布")
    number = (entry.versions[-1].number if entry.versions else 0) + 1
    version = EntryVersion(
        number=number,
        department=entry.department,
        author=author,
        reviewer=reviewer,
        # A review comment, shown in every history and listing: numbers masked.
        reason=mask_personal_data(reason),
        **content,
    )
    entry.versions.append(version)
    entry.live_version_number = number
    entry.status = EntryStatus.PUBLISHED
    return version


def _people(author: str) -> set[str]:
    return {name.strip() for name in author.split(",")}


def _require_draft(entry: Entry) -> EntryDraft:
    if entry.draft is None:
        raise KbError(f"条目 {entry.code} 没有待处理的草稿")
    return entry.draft


def _require_review(entry: Entry) -> EntryDraft:
    draft = _require_draft(entry)
    if draft.state is not DraftState.IN_REVIEW:
        raise KbError(f"条目 {entry.code} 的草稿尚未提交审核")
    return draft
