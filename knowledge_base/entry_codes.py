"""Suggesting the next free entry code of a department (GA-0091 after GA-0090)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.models import Entry


def _split(code: str) -> tuple[str, int] | None:
    prefix, _, number = code.rpartition("-")
    return (prefix, int(number)) if prefix and number.isdigit() else None


def suggest_code(session: Session, *, department_id: int) -> str:
    """The department's usual prefix with the next number, or "" when it has no numbered codes."""
    numbered = [
        parts
        for code in session.scalars(select(Entry.code).where(Entry.department_id == department_id))
        if (parts := _split(code)) is not None
    ]
    if not numbered:
        return ""
    prefix = Counter(p for p, _ in numbered).most_common(1)[0][0]
    taken = set(session.scalars(select(Entry.code).where(Entry.code.like(f"{prefix}-%"))))
    number = max(n for p, n in numbered if p == prefix) + 1
    while f"{prefix}-{number:04d}" in taken:
        number += 1
    return f"{prefix}-{number:04d}"
