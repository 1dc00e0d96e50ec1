"""Console users in storage: finding one by name and listing them all."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.models.users import ConsoleUser


def find_user(session: Session, *, username: str) -> ConsoleUser | None:
    """The console user with this name, if any."""
    return session.scalar(select(ConsoleUser).where(ConsoleUser.username == username))


def list_users(session: Session) -> list[ConsoleUser]:
    """Every console user, by name."""
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.username)))
