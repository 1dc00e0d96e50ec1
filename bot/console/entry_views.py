"""Which entries and drafts a user may see, and the rows of the knowledge-base list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.console.viewer import Viewer
from knowledge_base.models import DraftState, Entry, EntryDraft, EntryStatus, EntryVersion

EXPIRY_WARNING_DAYS = 30
STATUS_NAMES = {
    "published": "已发布",
    "editing": "草稿",
    "review": "待审核",
    "retired": "已下线",
}


def visible(entry: Entry, viewer: Viewer) -> bool:
    """Published (or once published) entries are readable by all; drafts only in scope."""
    return bool(entry.versions) or viewer.sees(entry.department_id)


def visible_draft(entry: Entry, viewer: Viewer) -> EntryDraft | None:
    """The entry's working draft, if the user's department scope covers it."""
    return entry.draft if viewer.sees(entry.department_id) else None


def shown_version(entry: Entry) -> EntryVersion | None:
    """The live version, or the last one of a retired entry."""
    return entry.live_version or entry.latest_version


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One line of the knowledge-base list."""

    code: str
    department: str
    question: str
    state: str
    tags: tuple[str, ...]
    valid_until: date | None
    expiring: bool
    pending_draft: str  # "", "editing" or "review" (only when the user may see the draft)

    @property
    def state_name(self) -> str:
        """The status in Chinese."""
        return STATUS_NAMES[self.state]


def _state(entry: Entry, draft: EntryDraft | None) -> str:
    if entry.status is EntryStatus.RETIRED:
        return "retired"
    if entry.status is EntryStatus.PUBLISHED:
        return "published"
    return "review" if draft and draft.state is DraftState.IN_REVIEW else "editing"


def expiring(valid_until: date | None, today: date) -> bool:
    """Whether validity ends within the warning period (or has already ended)."""
    return valid_until is not None and valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS)


def entry_row(entry: Entry, viewer: Viewer, today: date) -> EntryRow:
    """The list row of an entry as this user may see it."""
    draft = visible_draft(entry, viewer)
    version = shown_version(entry)
    source = version if version is not None else draft
    assert source is not None, "an entry has a draft or a version"
    live_until = version.valid_until if version is not None and entry.live_version else None
    pending = ""
    if draft is not None:
        pending = "review" if draft.state is DraftState.IN_REVIEW else "editing"
    return EntryRow(
        code=entry.code,
        department=entry.department.name,
        question=source.question,
        state=_state(entry, draft),
        tags=tuple(source.tags),
        valid_until=source.valid_until,
        expiring=expiring(live_until, today),
        pending_draft=pending,
    )


def matches(entry: Entry, viewer: Viewer, text: str) -> bool:
    """Search in the code and the visible questions, wordings and answers."""
    needle = text.strip().lower()
    if not needle:
        return True
    sources: list[EntryVersion | EntryDraft] = []
    version = shown_version(entry)
    if version is not None:
        sources.append(version)
    draft = visible_draft(entry, viewer)
    if draft is not None:
        sources.append(draft)
    haystack = [entry.code]
    for source in sources:
        haystack += [source.question, source.answer, *source.alternates]
    return any(needle in item.lower() for item in haystack)
