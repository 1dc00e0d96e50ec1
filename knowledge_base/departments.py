"""Looking up and creating departments."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.audit import record_change
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import Department, DepartmentKind


def find_department(session: Session, *, key: str) -> Department | None:
    """A department by its code or its full name."""
    return session.scalar(
        select(Department).where((Department.code == key) | (Department.name == key))
    )


def get_department(session: Session, *, key: str) -> Department:
    """A department by code or name, or NotFound."""
    department = find_department(session, key=key)
    if department is None:
        raise NotFound(f"no department {key!r}")
    return department


def read_aliases(value: Any, *, department: str) -> list[str]:
    """The `aliases` of a department in a county or directory file: a list of names (城管,
    城管局), or nothing."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise KbError(f"部门 {department} 的 aliases 应为名称列表")
    return [a.strip() for a in value]


def list_departments(session: Session) -> list[Department]:
    """All departments, the master unit first."""
    return list(session.scalars(select(Department).order_by(Department.kind.desc(), Department.id)))


def code_for_name(name: str) -> str:
    """A stable code for a department known only by name (from an imported file)."""
    return "d-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def ensure_department(session: Session, *, name: str, actor: str) -> tuple[Department, bool]:
    """The department with this name or code, created (with an empty remit) if unknown."""
    department = find_department(session, key=name)
    created = department is None
    if department is None:
        department = Department(code=code_for_name(name), name=name, kind=DepartmentKind.DEPARTMENT)
        session.add(department)
        session.flush()
        record_change(
            session,
            actor=actor,
            action="department.create",
            target_type="department",
            target=department.code,
            detail={"name": name},
        )
    return department, created
