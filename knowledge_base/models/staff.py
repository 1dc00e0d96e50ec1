"""Staff who receive alerts, and the duty roster (值班表) per department and day."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge_base.models.base import Base, enum_values
from knowledge_base.models.departments import Department


class StaffRole(enum.StrEnum):
    """Who a person is on the escalation ladder: duty officer → leader (分管领导) → supervisor."""

    DUTY = "duty"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    # Writes the department's knowledge-base entries; told when citizens find one unhelpful.
    EDITOR = "editor"


class Staff(Base):
    """A person alerts can reach, with the addresses of each notifier."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[StaffRole] = mapped_column(
        Enum(StaffRole, native_enum=False, length=16, values_callable=enum_values),
        default=StaffRole.DUTY,
    )
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    telegram_chat_id: Mapped[str] = mapped_column(String(64), default="")
    wecom_user_id: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship(lazy="joined")


class DutyShift(Base):
    """Who is on duty for a department on a day."""

    __tablename__ = "duty_shifts"
    __table_args__ = (UniqueConstraint("department_id", "day", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))

    staff: Mapped[Staff] = relationship(lazy="joined")
