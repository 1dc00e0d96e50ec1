"""Signing in to the console with lockout after repeated failures (stored by
`knowledge_base.console_sign_in`), in the console's settings, and who a session token belongs to.

Unknown, inactive and locked users get the same answer as a wrong password, after the same
password-checking work.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.console.settings import ConsoleSettings
from bot.console.viewer import Viewer
from knowledge_base import console_sign_in
from knowledge_base.console_sign_in import Attempt, finish_sign_in, live_session

WRONG = "用户名或密码不正确，或因多次登录失败已暂时锁定。请核对后再试，如多次失败请稍候15分钟。"


def begin_attempt(
    session: Session, *, username: str, now: datetime, settings: ConsoleSettings
) -> Attempt:
    """Count one attempt before the password is checked (see `console_sign_in`)."""
    return console_sign_in.begin_attempt(
        session,
        username=username,
        now=now,
        window=timedelta(minutes=settings.lockout_window_minutes),
        failures=settings.lockout_failures,
    )


def record_failure(
    session: Session, *, user_id: int, now: datetime, settings: ConsoleSettings
) -> None:
    """A wrong password: lock the user once the count reached the limit."""
    console_sign_in.record_failure(
        session,
        user_id=user_id,
        now=now,
        failures=settings.lockout_failures,
        lock_for=timedelta(minutes=settings.lockout_minutes),
    )


def open_session(
    session: Session, *, user_id: int, now: datetime, settings: ConsoleSettings
) -> str | None:
    """A new session token for a right password, unless the user was locked meanwhile."""
    return finish_sign_in(
        session, user_id=user_id, now=now, lasts=timedelta(hours=settings.session_hours)
    )


def viewer_for(session: Session, *, token: str) -> Viewer | None:
    """The signed-in user of a live session token, or None."""
    row = live_session(session, token=token)
    if row is None:
        return None
    user = row.user
    return Viewer(
        username=user.username,
        role=user.role,
        department_id=user.department_id,
        department_name=user.department.name if user.department else "",
        csrf=row.csrf_token,
    )
