"""Storing comments, their audit trail and the polling cursors (explicit session, keyword-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge_base.models import is_row_id
from knowledge_base.models.comments import Comment, CommentAction, CommentCursor, CommentState
from knowledge_base.models.conversations import Delivery, Message


def load_cursor(session: Session, *, account: str, scope: str) -> str:
    """Where the polling of this account's comments continues ("" before the first poll)."""
    row = session.scalar(
        select(CommentCursor).where(
            CommentCursor.account_code == account, CommentCursor.scope == scope
        )
    )
    return row.cursor if row is not None else ""


def save_cursor(session: Session, *, account: str, scope: str, cursor: str) -> None:
    """Move the cursor on (after the comments before it are stored)."""
    row = session.scalar(
        select(CommentCursor).where(
            CommentCursor.account_code == account, CommentCursor.scope == scope
        )
    )
    if row is None:
        session.add(CommentCursor(account_code=account, scope=scope, cursor=cursor))
    else:
        row.cursor = cursor


def audit(session: Session, *, comment: Comment, action: str, actor: str, **detail: Any) -> None:
    """One line of the comment's audit trail."""
    session.add(CommentAction(comment_id=comment.id, action=action, actor=actor, detail=detail))


def claim_comment(
    session: Session,
    *,
    account: str,
    platform: str,
    external_id: str,
    post_id: str,
    author_id: str,
    masked_text: str,
) -> int | None:
    """Store a newly seen comment; None when it was already stored (another poller has it)."""
    row = Comment(
        account_code=account,
        platform=platform,
        external_id=external_id[:128],
        post_id=post_id[:128],
        author_id=author_id[:128],
        text=masked_text,
        category="",
        state=CommentState.RECEIVED,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    audit(session, comment=row, action="fetched", actor="bot")
    return row.id


def settle_comment(
    session: Session,
    *,
    comment_id: int,
    state: CommentState,
    actor: str,
    action: str,
    **fields: Any,
) -> Comment:
    """Set the comment's state (and other columns) and audit why."""
    row = session.get(Comment, comment_id)
    if row is None:
        raise LookupError(comment_id)
    row.state = state
    for name, value in fields.items():
        setattr(row, name, value)
    audit(
        session,
        comment=row,
        action=action,
        actor=actor,
        state=state.value,
        **{k: v for k, v in fields.items() if k in ("detail", "ticket_id")},
    )
    return row


def find_comment(session: Session, *, comment_id: int) -> Comment | None:
    """A comment by id, if there is one (None for an id no row can have)."""
    return session.get(Comment, comment_id) if is_row_id(comment_id) else None


def comments_in(
    session: Session, *, states: tuple[CommentState, ...], accounts: list[str] | None, limit: int
) -> list[Comment]:
    """Comments in these states, newest first (only these accounts' unless None)."""
    query = (
        select(Comment).where(Comment.state.in_(states)).order_by(Comment.id.desc()).limit(limit)
    )
    if accounts is not None:
        query = query.where(Comment.account_code.in_(accounts))
    return list(session.scalars(query))


def hold_reply(session: Session, *, message_id: int) -> None:
    """Mark the bot's stored reply to a comment as held: it is the comment's draft, not a
    message the citizen received."""
    message = session.get(Message, message_id)
    if message is not None:
        message.delivery = Delivery.HELD
