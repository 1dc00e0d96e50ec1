"""Account activity: what each account posted, and flags raised on stale (僵尸) accounts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.accounts import Account
from knowledge_base.models.base import Base, UtcDateTime, utcnow


class Post(Base):
    """One published item; `major` marks main-account news every department must forward
    within 1 working day, and `forwards_post_id` links a forward to the item it forwards."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id"),
        Index("ix_posts_account_posted", "account_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    title: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    forwards_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id"), default=None, index=True
    )
    source: Mapped[str] = mapped_column(String(16), default="cli")
    # The platform's id of the item (or a hash of it), so re-imported logs are not counted twice.
    external_id: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    account: Mapped[Account] = relationship()


class AccountFlag(Base):
    """A stale-account finding on a day (one per account, rule and day)."""

    __tablename__ = "account_flags"
    __table_args__ = (UniqueConstraint("account_id", "rule", "flagged_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    flagged_on: Mapped[date] = mapped_column(Date)
    days_without_post: Mapped[int] = mapped_column(Integer)

    account: Mapped[Account] = relationship()
