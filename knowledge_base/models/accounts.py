"""New-media accounts of the units and their filing (备案) records."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow
from knowledge_base.models.departments import Department


class Platform(enum.StrEnum):
    """Platforms a government account can live on."""

    WECHAT_OFFICIAL = "wechat_official"
    WECHAT_MINI = "wechat_mini"
    WEIBO = "weibo"
    DOUYIN = "douyin"
    TOUTIAO = "toutiao"
    TELEGRAM = "telegram"
    WEB = "web"
    APP = "app"


class AccountStatus(enum.StrEnum):
    """Lifecycle of an account; closed accounts no longer count for one-per-platform."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class FilingAction(enum.StrEnum):
    """Events that must be filed with the supervising office within 3 working days."""

    OPEN = "open"
    CHANGE = "change"
    SUSPEND = "suspend"
    RESUME = "resume"
    CLOSE = "close"


class Account(Base):
    """One unit's account on one platform."""

    __tablename__ = "accounts"
    __table_args__ = (
        # A unit holds at most one live (not closed) account per platform.
        Index(
            "uq_accounts_live_department_platform",
            "department_id",
            "platform",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[Platform] = mapped_column(
        Enum(Platform, native_enum=False, length=32, values_callable=enum_values)
    )
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[AccountStatus] = mapped_column(
        Enum(AccountStatus, native_enum=False, length=16, values_callable=enum_values),
        default=AccountStatus.ACTIVE,
    )
    opened_on: Mapped[date] = mapped_column(Date)
    suspended_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    last_post_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")
    filings: Mapped[list[Filing]] = relationship(
        back_populates="account", order_by="Filing.id", cascade="all, delete-orphan"
    )


class Filing(Base):
    """A filing record: what happened to an account, when, and when it was filed."""

    __tablename__ = "filings"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    action: Mapped[FilingAction] = mapped_column(
        Enum(FilingAction, native_enum=False, length=16, values_callable=enum_values)
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date, default=None)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    account: Mapped[Account] = relationship(back_populates="filings")
