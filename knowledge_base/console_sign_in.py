"""Console sign-in in storage: attempts counted before the password is checked, lockout after
repeated failures, sessions stored by token hash, signing out.

An attempt is counted against the user before the password is checked, in one atomic UPDATE
(the database serialises concurrent updates of the row), and a check succeeds only if the user
is still unlocked afterwards: a burst of parallel guesses gets at most `failures` checks and a
right password inside a locked burst is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, delete, or_, select, update
from sqlalchemy.orm import Session

from knowledge_base.audit import record_change
from knowledge_base.console_users import find_user
from knowledge_base.models.base import utcnow
from knowledge_base.models.users import ConsoleSession, ConsoleUser


@dataclass(frozen=True, slots=True)
class Attempt:
    """A counted attempt: whose password to check (no user: check a dummy and refuse)."""

    user_id: int | None
    password_hash: str | None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unlocked(now: datetime) -> ColumnElement[bool]:
    return or_(ConsoleUser.locked_until.is_(None), ConsoleUser.locked_until <= now)


def begin_attempt(
    session: Session, *, username: str, now: datetime, window: timedelta, failures: int
) -> Attempt:
    """Count one attempt for an active, unlocked user (atomically) before its password is
    checked; beyond `failures` within `window`, or for anyone else, nobody's password is
    checked."""
    user = find_user(session, username=username)
    if user is None or not user.active:
        return Attempt(None, None)
    fresh = or_(
        ConsoleUser.first_failure_at.is_(None),
        ConsoleUser.first_failure_at < now - window,
    )
    counted = session.execute(
        update(ConsoleUser)
        .where(ConsoleUser.id == user.id, _unlocked(now))
        .values(
            failed_logins=case((fresh, 1), else_=ConsoleUser.failed_logins + 1),
            first_failure_at=case((fresh, now), else_=ConsoleUser.first_failure_at),
        )
        .returning(ConsoleUser.failed_logins),
        execution_options={"synchronize_session": False},
    ).scalar()
    if counted is None or counted > failures:
        return Attempt(None, None)
    return Attempt(user.id, user.password_hash)


def record_failure(
    session: Session, *, user_id: int, now: datetime, failures: int, lock_for: timedelta
) -> None:
    """The attempt was counted already; lock the user for `lock_for` once the count reached
    `failures`."""
    locked = session.execute(
        update(ConsoleUser)
        .where(
            ConsoleUser.id == user_id,
            ConsoleUser.failed_logins >= failures,
            _unlocked(now),
        )
        .values(
            locked_until=now + lock_for,
            failed_logins=0,
            first_failure_at=None,
        )
        .returning(ConsoleUser.username),
        execution_options={"synchronize_session": False},
    ).scalar()
    if locked is not None:
        record_change(
            session,
            actor=locked,
            action="console_user.locked",
            target_type="console_user",
            target=locked,
        )


def finish_sign_in(
    session: Session, *, user_id: int, now: datetime, lasts: timedelta
) -> str | None:
    """A new session token, valid for `lasts`, for a right password, unless the user was
    locked meanwhile."""
    still_open = session.execute(
        update(ConsoleUser)
        .where(ConsoleUser.id == user_id, ConsoleUser.active.is_(True), _unlocked(now))
        .values(failed_logins=0, first_failure_at=None, locked_until=None, last_login_at=now)
        .returning(ConsoleUser.id),
        execution_options={"synchronize_session": False},
    ).scalar()
    if still_open is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=_token_hash(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=now + lasts,
        )
    )
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    return token


def live_session(session: Session, *, token: str) -> ConsoleSession | None:
    """The unexpired session of this token whose user is active, or None."""
    row = session.scalar(
        select(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token))
    )
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def sign_out(session: Session, *, token: str) -> None:
    """End the session of this token."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token)))
