"""Signing in with lockout after repeated failures, sessions stored by token hash, signing out.

An attempt is counted against the user before the password is checked, in one atomic UPDATE
(the database serialises concurrent updates of the row), and a check succeeds only if the user
is still unlocked afterwards: a burst of parallel guesses gets at most `lockout_failures` checks
and a right password inside a locked burst is refused. Unknown, inactive and locked users get
the same answer as a wrong password, after the same password-checking work.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.console.settings import ConsoleSettings
from bot.console.viewer import Viewer
from knowledge_base.audit import record_change
from knowledge_base.models.base import utcnow
from knowledge_base.models.users import ConsoleSession, ConsoleUser

WRONG = "用户名或密码不正确，或因多次登录失败已暂时锁定。请核对后再试，如多次失败请稍候15分钟。"


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
    session: Session, *, username: str, now: datetime, settings: ConsoleSettings
) -> Attempt:
    """Count one attempt for an active, unlocked user (atomically) before its password is
    checked; beyond the limit, or for anyone else, nobody's password is checked."""
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
    if user is None or not user.active:
        return Attempt(None, None)
    fresh = or_(
        ConsoleUser.first_failure_at.is_(None),
        ConsoleUser.first_failure_at < now - timedelta(minutes=settings.lockout_window_minutes),
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
    if counted is None or counted > settings.lockout_failures:
        return Attempt(None, None)
    return Attempt(user.id, user.password_hash)


def record_failure(
    session: Session, *, user_id: int, now: datetime, settings: ConsoleSettings
) -> None:
    """The attempt was counted already; lock the user once the count reached the limit."""
    locked = session.execute(
        update(ConsoleUser)
        .where(
            ConsoleUser.id == user_id,
            ConsoleUser.failed_logins >= settings.lockout_failures,
            _unlocked(now),
        )
        .values(
            locked_until=now + timedelta(minutes=settings.lockout_minutes),
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
    session: Session, *, user_id: int, now: datetime, settings: ConsoleSettings
) -> str | None:
    """A new session token for a right password, unless the user was locked meanwhile."""
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
            expires_at=now + timedelta(hours=settings.session_hours),
        )
    )
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    return token


def viewer_for(session: Session, *, token: str) -> Viewer | None:
    """The signed-in user of a live session token, or None."""
    row = session.scalar(
        select(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token))
    )
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        return None
    user = row.user
    return Viewer(
        username=user.username,
        role=user.role,
        department_id=user.department_id,
        department_name=user.department.name if user.department else "",
        csrf=row.csrf_token,
    )


def sign_out(session: Session, *, token: str) -> None:
    """End the session of this token."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token)))
