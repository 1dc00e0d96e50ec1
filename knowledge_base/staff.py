"""Staff and the duty roster (值班表): adding people and importing rosters from CSV/XLSX/YAML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge_base.audit import record_change
from knowledge_base.departments import find_department
from knowledge_base.errors import KbError
from knowledge_base.models import Department, DepartmentKind, DutyShift, Staff, StaffRole
from knowledge_base.row_files import validated_rows

# How staff roles are named to people (listings, alert texts).
STAFF_ROLE_NAMES = {
    StaffRole.DUTY: "值班人员",
    StaffRole.LEADER: "分管领导",
    StaffRole.SUPERVISOR: "主管单位",
    StaffRole.EDITOR: "知识库编辑",
}
STAFF_FIELDS = ("name", "role", "phone", "email", "telegram_chat_id", "wecom_user_id")


class StaffRow(BaseModel):
    """A person as written in a staff or roster file."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True)

    code: str = Field(min_length=1, max_length=64)
    department: str = Field(min_length=1)
    name: str = Field(default="", max_length=100)
    role: StaffRole = StaffRole.DUTY
    phone: str = ""
    email: str = ""
    telegram_chat_id: str = ""
    wecom_user_id: str = ""


class ShiftRow(StaffRow):
    """One roster line: who is on duty for which department on which day."""

    date: date


def upsert_staff(session: Session, row: StaffRow, *, actor: str) -> Staff:
    """Create the person or update the given fields."""
    department = find_department(session, key=row.department)
    if department is None:
        raise KbError(f"部门 {row.department} 不存在")
    staff = session.scalar(select(Staff).where(Staff.code == row.code))
    if staff is None:
        if not row.name:
            raise KbError(f"新人员 {row.code} 需要姓名")
        staff = Staff(code=row.code, name=row.name, department_id=department.id)
        session.add(staff)
    staff.department_id = department.id
    for name in STAFF_FIELDS:
        value = getattr(row, name)
        if value:
            setattr(staff, name, value)
    session.flush()
    record_change(session, actor=actor, action="staff.save", target_type="staff", target=row.code)
    return staff


@dataclass(frozen=True, slots=True)
class RosterReport:
    """What a roster import did."""

    shifts: int
    days: int


def import_roster(session: Session, *, path: Path, actor: str) -> RosterReport:
    """Import a duty roster, all rows or none; the days it covers are replaced per department."""

    def check(row: ShiftRow) -> str | None:
        found = find_department(session, key=row.department) is not None
        return None if found else f"部门 {row.department} 不存在"

    rows = validated_rows(path, ShiftRow, check=check, rename=_roster_aliases)
    covered = {(find_department(session, key=r.department).id, r.date) for r in rows}  # type: ignore[union-attr]
    for department_id, day in covered:
        session.execute(
            delete(DutyShift).where(DutyShift.department_id == department_id, DutyShift.day == day)
        )
    for row in rows:
        staff = upsert_staff(session, row, actor=actor)
        session.add(DutyShift(department_id=staff.department_id, day=row.date, staff_id=staff.id))
    session.flush()
    record_change(
        session,
        actor=actor,
        action="roster.import",
        target_type="roster",
        target=path.name,
        detail={"shifts": len(rows)},
    )
    return RosterReport(shifts=len(rows), days=len({r.date for r in rows}))


def _roster_aliases(data: dict[str, Any]) -> dict[str, Any]:
    # Spreadsheets made by duty offices use Chinese headers.
    aliases = {
        "日期": "date",
        "部门": "department",
        "编号": "code",
        "姓名": "name",
        "电话": "phone",
        "邮箱": "email",
    }
    return {aliases.get(k, k): v for k, v in data.items()}


def find_active_staff(session: Session, *, key: str) -> Staff | None:
    """An active person by code or name (a name shared by two people is ambiguous: None)."""
    people = list(
        session.scalars(
            select(Staff).where(((Staff.code == key) | (Staff.name == key)) & Staff.active).limit(2)
        )
    )
    return people[0] if len(people) == 1 else None


def list_staff(session: Session) -> list[Staff]:
    """Everyone registered, by department and role."""
    return list(session.scalars(select(Staff).order_by(Staff.department_id, Staff.role)))


def staff_by_key(session: Session, *, key: str) -> Staff | None:
    """The first person, active or not, whose code or name is `key`."""
    return session.scalar(select(Staff).where((Staff.code == key) | (Staff.name == key)).limit(1))


def on_duty(session: Session, *, department_id: int, day: date) -> list[Staff]:
    """The active people on a department's duty roster (值班表) for a day."""
    return list(
        session.scalars(
            select(Staff)
            .join(DutyShift, DutyShift.staff_id == Staff.id)
            .where(DutyShift.department_id == department_id, DutyShift.day == day)
            .where(Staff.active.is_(True))
        )
    )


def in_role(session: Session, *, department_id: int, role: StaffRole) -> list[Staff]:
    """A department's active people in one role."""
    return list(
        session.scalars(
            select(Staff).where(
                Staff.department_id == department_id, Staff.role == role, Staff.active.is_(True)
            )
        )
    )


def supervising_staff(session: Session) -> list[Staff]:
    """The supervising office: the active people in the supervisor role, or without any, the
    active people of the master unit."""
    found = list(
        session.scalars(
            select(Staff).where(Staff.role == StaffRole.SUPERVISOR, Staff.active.is_(True))
        )
    )
    return found or list(
        session.scalars(
            select(Staff)
            .join(Department, Department.id == Staff.department_id)
            .where(Department.kind == DepartmentKind.MASTER, Staff.active.is_(True))
        )
    )
