"""Signing in with lockout after repeated failures, sessions stored by token hash, signing out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.console.passwords import verify_password
from bot.console.settings import ConsoleSettings
from bot.console.viewer import Viewer
from knowledge_base.audit import record_change
from knowledge_base.models.base import utcnow
from knowledge_base.models.users import ConsoleSession, ConsoleUser

WRONG = "用户名或密码不正确。"


@dataclass(frozen=True, slots=True)
class SignInResult:
    """A new session token, or why signing in was refused."""

    token: str | None
    problem: str = ""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    session: Session, *, username: str, password: str, settings: ConsoleSettings
) -> SignInResult:
    """Check the password; count failures and lock the user after too many in the window."""
    now = utcnow()
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
        return SignInResult(None, f"登录失败次数过多，账号已暂时锁定，请约 {minutes} 分钟后再试。")
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        return SignInResult(None, WRONG)
    if not valid:
        _count_failure(session, user, now, settings)
        return SignInResult(None, WRONG)
    user.failed_logins, user.first_failure_at, user.locked_until = 0, None, None
    user.last_login_at = now
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=now + timedelta(hours=settings.session_hours),
        )
    )
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    return SignInResult(token)


def _count_failure(
    session: Session, user: ConsoleUser, now: datetime, settings: ConsoleSettings
) -> None:
    window = timedelta(minutes=settings.lockout_window_minutes)
    if user.first_failure_at is None or now - user.first_failure_at > window:
        user.failed_logins, user.first_failure_at = 0, now
    user.failed_logins += 1
    if user.failed_logins >= settings.lockout_failures:
        user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins, user.first_failure_at = 0, None
        record_change(
            session,
            actor=user.username,
            action="console_user.locked",
            target_type="console_user",
            target=user.username,
        )


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
