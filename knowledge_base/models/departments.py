"""Departments of the county (the master unit "1" and the N departments) and the 12345 line."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge_base.models.base import Base, UtcDateTime, enum_values, utcnow


class DepartmentKind(enum.StrEnum):
    """The supervising office is the master unit; every other unit is a department."""

    MASTER = "master"
    DEPARTMENT = "department"


class Department(Base):
    """A unit that owns entries and accounts; its remit and contacts form the referral directory."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[DepartmentKind] = mapped_column(
        Enum(
            DepartmentKind,
            native_enum=False,
            length=16,
            values_callable=enum_values,
        ),
        default=DepartmentKind.DEPARTMENT,
    )
    remit: Mapped[str] = mapped_column(Text, default="")
    # Other names citizens call the unit by (城管 for 综合行政执法局); routing reads them.
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    leader_name: Mapped[str] = mapped_column(String(100), default="")
    leader_phone: Mapped[str] = mapped_column(String(64), default="")
    liaison_name: Mapped[str] = mapped_column(String(100), default="")
    liaison_phone: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class FallbackContact(Base):
    """The catch-all referral (the 12345 hotline); the directory keeps exactly one row."""

    __tablename__ = "fallback_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
