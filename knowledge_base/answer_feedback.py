"""How each entry fares with citizens: how often it answered, the share voted 没帮助, and what
citizens asked right after it (texts as stored: personal numbers masked)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge_base.models import Direction, Entry, Message
from knowledge_base.models.feedback import AnswerFeedback

# A message this soon after an answer, in the same conversation, is a follow-up to it.
FOLLOW_UP_WINDOW = timedelta(minutes=10)


@dataclass(slots=True)
class EntryFeedback:
    """Figures of one entry over a period."""

    code: str
    answered: int = 0
    helpful: int = 0
    unhelpful: int = 0
    follow_ups: list[str] = field(default_factory=list)

    @property
    def votes(self) -> int:
        """有帮助 and 没帮助 together."""
        return self.helpful + self.unhelpful

    @property
    def unhelpful_share(self) -> float | None:
        """Share of votes that were 没帮助 (None without votes)."""
        return self.unhelpful / self.votes if self.votes else None


def entry_feedback(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    follow_ups_per_entry: int = 5,
) -> dict[str, EntryFeedback]:
    """Every entry that answered or was voted on in [start, end), by code; follow-ups newest
    first, at most `follow_ups_per_entry` each."""
    figures: dict[str, EntryFeedback] = {}

    def of(code: str) -> EntryFeedback:
        return figures.setdefault(code, EntryFeedback(code))

    in_period = (Message.created_at >= start) & (Message.created_at < end)
    for code, count in session.execute(
        select(Message.entry_code, func.count())
        .where(in_period, Message.direction == Direction.OUT, Message.decision == "answer")
        .where(Message.entry_code.is_not(None))
        .group_by(Message.entry_code)
    ).tuples():
        if code is not None:
            of(code).answered = count
    for code, helpful, count in session.execute(
        select(AnswerFeedback.entry_code, AnswerFeedback.helpful, func.count())
        .where(AnswerFeedback.created_at >= start, AnswerFeedback.created_at < end)
        .group_by(AnswerFeedback.entry_code, AnswerFeedback.helpful)
    ).tuples():
        if helpful:
            of(code).helpful = count
        else:
            of(code).unhelpful = count
    for code, texts in _follow_ups(session, start=start, end=end).items():
        of(code).follow_ups = texts[::-1][:follow_ups_per_entry]
    return figures


def record_vote(
    session: Session, *, entry_code: str, helpful: bool, channel: str, reply_id: int
) -> None:
    """Store a citizen's 有帮助 / 没帮助 on an answer, against the entry's live version; a
    second vote on the same reply breaks the unique key (IntegrityError at commit)."""
    version = session.scalar(select(Entry.live_version_number).where(Entry.code == entry_code))
    session.add(
        AnswerFeedback(
            entry_code=entry_code,
            entry_version=version,
            helpful=helpful,
            channel=channel,
            reply_id=reply_id,
        )
    )


def _soon_after(answered_at: datetime, at: datetime, end: datetime) -> bool:
    return answered_at < end and at - answered_at <= FOLLOW_UP_WINDOW


def _follow_ups(session: Session, *, start: datetime, end: datetime) -> dict[str, list[str]]:
    """The citizen's next message after each answer, within the window, oldest first."""
    rows = session.execute(
        select(
            Message.conversation_id,
            Message.direction,
            Message.entry_code,
            Message.decision,
            Message.text,
            Message.created_at,
        )
        .where(Message.created_at >= start, Message.created_at < end + FOLLOW_UP_WINDOW)
        .where(Message.author.in_(("citizen", "bot")))
        .order_by(Message.conversation_id, Message.id)
    ).tuples()
    found: dict[str, list[str]] = defaultdict(list)
    answered: tuple[int, str, datetime] | None = None
    for conversation, direction, code, decision, text, at in rows:
        if direction is Direction.OUT:
            answered = (conversation, code, at) if decision == "answer" and code else None
            continue
        follows = answered is not None and answered[0] == conversation and text.strip()
        if follows and answered is not None and _soon_after(answered[2], at, end):
            found[answered[1]].append(text)
        answered = None
    return found
