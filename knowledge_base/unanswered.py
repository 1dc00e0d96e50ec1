"""Questions the bot could not answer, as stored, and the wordings staff dismissed.

A citizen's message counts when the bot's next reply in the conversation was a fallback, a
referral or a clarifying question; a hotline look-up counts when it found no answer or the caller
was transferred (`knowledge_base.lookups`), so calls feed the same inbox as the channels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.lookups import unanswered_calls
from knowledge_base.models import Account, Conversation, Department, Direction, Message
from knowledge_base.models.unanswered import DismissedQuestion
from nlu.normalize import match_form

UNANSWERED_DECISIONS = ("fallback", "route", "clarify")
SCAN_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Asked:
    """A citizen's message the bot did not answer from the knowledge base."""

    text: str
    decision: str
    department_id: int
    department: str
    at: datetime


def unanswered_messages(
    session: Session, *, since: datetime, department_id: int | None
) -> list[Asked]:
    """Incoming messages since `since` whose following bot reply did not answer, and hotline
    look-ups that did not settle the call."""
    query = (
        select(Message, Account.department_id, Conversation.account_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Account, Account.id == Conversation.account_id)
        .where(Message.created_at >= since)
        .order_by(Message.conversation_id, Message.id)
        .limit(SCAN_LIMIT)
    )
    if department_id is not None:
        query = query.where(Account.department_id == department_id)
    names = {a.id: a.department.name for a in session.scalars(select(Account))}
    found: list[Asked] = []
    waiting: dict[int, Message] = {}
    for message, owner, account_id in session.execute(query).tuples():
        if message.direction is Direction.IN:
            waiting[message.conversation_id] = message
            continue
        asked = waiting.pop(message.conversation_id, None)
        if asked is not None and message.decision in UNANSWERED_DECISIONS and asked.text.strip():
            found.append(
                Asked(asked.text, message.decision, owner, names[account_id], asked.created_at)
            )
    departments = {i: n for i, n in session.execute(select(Department.id, Department.name))}
    for call in unanswered_calls(
        session, since=since, department_id=department_id, limit=SCAN_LIMIT
    ):
        name = departments[call.department_id]
        found.append(Asked(call.text, call.decision, call.department_id, name, call.at))
    return found


def dismissed_forms(session: Session) -> set[str]:
    """Matching forms staff have dismissed."""
    return set(session.scalars(select(DismissedQuestion.match_form)))


def dismiss(session: Session, *, texts: list[str], actor: str) -> int:
    """Hide these wordings from the list from now on; returns how many were new."""
    known = dismissed_forms(session)
    forms = {match_form(t)[:500] for t in texts} - known - {""}
    for form in forms:
        session.add(DismissedQuestion(match_form=form, dismissed_by=actor))
    return len(forms)
