"""Managing console users: create, enable or disable, change a password."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.console.passwords import MIN_LENGTH, hash_password
from knowledge_base.audit import record_change
from knowledge_base.console_users import find_user
from knowledge_base.departments import get_department
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models.users import ConsoleRole, ConsoleUser

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
# Roles tied to one department when one is given; supervisors and admins see every department.
SCOPED_ROLES = (ConsoleRole.EDITOR, ConsoleRole.REVIEWER, ConsoleRole.DUTY)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    department: str | None,
    actor: str,
) -> ConsoleUser:
    """Add a console user; editors must name their department."""
    if not USERNAME.match(username):
        raise KbError("用户名只能包含字母、数字和 _ . @ -，长度 2–64")
    if find_user(session, username=username) is not None:
        raise KbError(f"用户 {username} 已存在")
    try:
        kind = ConsoleRole(role)
    except ValueError:
        allowed = "、".join(r.value for r in ConsoleRole)
        raise KbError(f"不支持的角色 {role}，可选：{allowed}") from None
    if len(password) < MIN_LENGTH:
        raise KbError(f"密码至少需要 {MIN_LENGTH} 个字符")
    if kind is ConsoleRole.EDITOR and not department:
        raise KbError("编辑必须指定所属部门（--department）")
    if department and kind not in SCOPED_ROLES:
        raise KbError(f"{kind.value} 角色可查看全部部门，不需要指定部门")
    user = ConsoleUser(
        username=username,
        password_hash=hash_password(password),
        role=kind,
        department=get_department(session, key=department) if department else None,
    )
    session.add(user)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="console_user.create",
        target_type="console_user",
        target=username,
        detail={"role": kind.value, "department": department or ""},
    )
    return user


def get_user(session: Session, *, username: str) -> ConsoleUser:
    """A user by name, or NotFound."""
    user = find_user(session, username=username)
    if user is None:
        raise NotFound(f"没有用户 {username}")
    return user


def set_active(session: Session, *, username: str, active: bool, actor: str) -> ConsoleUser:
    """Enable or disable a user; disabling ends their sign-ins at the next request."""
    user = get_user(session, username=username)
    user.active = active
    if active:
        user.failed_logins, user.locked_until, user.first_failure_at = 0, None, None
    record_change(
        session,
        actor=actor,
        action="console_user.enable" if active else "console_user.disable",
        target_type="console_user",
        target=username,
    )
    return user


def set_password(session: Session, *, username: str, password: str, actor: str) -> ConsoleUser:
    """Replace a user's password (and lift a lockout)."""
    if len(password) < MIN_LENGTH:
        raise KbError(f"密码至少需要 {MIN_LENGTH} 个字符")
    user = get_user(session, username=username)
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until, user.first_failure_at = 0, None, None
    record_change(
        session,
        actor=actor,
        action="console_user.password",
        target_type="console_user",
        target=username,
    )
    return user
