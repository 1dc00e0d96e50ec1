"""Comments on the accounts' own posts (Weibo comments, WeChat article comments): each comment
as handled, the public reply drafted for review (先审后发), every action on it, and the cursors
of the polling."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow


class CommentState(enum.StrEnum):
    """Where a comment stands."""

    RECEIVED = "received"  # claimed by one poller, being handled
    AWAITING_APPROVAL = "awaiting_approval"  # a public reply is drafted; a duty officer decides
    REPLIED = "replied"  # the public reply is posted
    REJECTED = "rejected"  # the duty officer decided not to reply publicly
    HIDDEN = "hidden"  # abuse, hidden through the platform's API
    NO_REPLY = "no_reply"  # nothing to say publicly (chit-chat, emoji, a follower's thanks)
    FAILED = "failed"  # the platform refused; the reason is kept


class Comment(Base):
    """One citizen comment under an account's post, and what was done about it."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("account_code", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_code: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(16))  # weibo, wechat
    external_id: Mapped[str] = mapped_column(String(128))  # the platform's comment id
    post_id: Mapped[str] = mapped_column(String(128))  # the post it is under
    author_id: Mapped[str] = mapped_column(String(128))
    # Personal numbers are masked before a text is stored (`nlu.privacy`).
    text: Mapped[str] = mapped_column(Text)
    # question, personal (personal data or a matter for one person), complaint, abuse, other.
    category: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16), default="")
    entry_code: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[CommentState] = mapped_column(
        Enum(CommentState, native_enum=False, length=24, values_callable=enum_values),
        index=True,
    )
    public_reply: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(Integer, default=None)
    detail: Mapped[str] = mapped_column(Text, default="")  # the platform's refusal, if any
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    actions: Mapped[list[CommentAction]] = relationship(
        back_populates="comment", order_by="CommentAction.id", cascade="all, delete-orphan"
    )


class CommentAction(Base):
    """The audit trail of one comment: fetched, drafted, approved, posted, hidden, ticketed …"""

    __tablename__ = "comment_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="actions")


class CommentCursor(Base):
    """How far the polling of one account's comments (per post, for WeChat) has read."""

    __tablename__ = "comment_cursors"
    __table_args__ = (UniqueConstraint("account_code", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_code: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(128))  # "to_me" (Weibo) or "<msg_data_id>:<index>"
    # Weibo: the newest comment id; WeChat: JSON of the newest user_comment_id per article.
    cursor: Mapped[str] = mapped_column(String(4000))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
