"""Web-console users (argon2 password hashes, role, department) and their sign-in sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow
from knowledge_base.models.departments import Department


class ConsoleRole(enum.StrEnum):
    """What a console user may do; editors, reviewers and duty staff can be tied to a department."""

    EDITOR = "editor"
    REVIEWER = "reviewer"
    DUTY = "duty"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class ConsoleUser(Base):
    """A person who signs in to the web console."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[ConsoleRole] = mapped_column(
        Enum(ConsoleRole, native_enum=False, length=16, values_callable=enum_values)
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), default=None, index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Repeated wrong passwords lock the account for a while.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")


class ConsoleSession(Base):
    """A signed-in browser: the cookie carries the token, only its hash is stored."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())

    user: Mapped[ConsoleUser] = relationship(lazy="joined")
