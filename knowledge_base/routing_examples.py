"""Routing examples: imported history and staff decisions that the department classifier learns.

Every text is masked (ID, phone and card numbers) before it is stored: examples outlive the
conversations they came from, and a classifier needs the matter, not the person.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge_base.audit import record_change
from knowledge_base.models.routing import RoutingExample
from knowledge_base.row_files import validated_rows
from nlu.privacy import mask_personal_data

# Column names of history exports (12345 work orders) accepted besides text / department.
_ALIASES = {
    "内容": "text",
    "诉求内容": "text",
    "留言": "text",
    "message": "text",
    "部门": "department",
    "承办部门": "department",
    "办理部门": "department",
}


class ExampleRow(BaseModel):
    """One line of a history file: what the citizen wrote and the department that handled it."""

    text: str = Field(min_length=2, max_length=5000)
    department: str = Field(min_length=1, max_length=200)

    @field_validator("text", "department", mode="before")
    @classmethod
    def _stripped(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


def _renamed(data: dict[str, Any]) -> dict[str, Any]:
    return {_ALIASES.get(str(k).strip(), str(k).strip()): v for k, v in data.items()}


def add_example(
    session: Session, *, text: str, department: str, source: str, source_ref: str = ""
) -> RoutingExample:
    """Store one example (masked) in the caller's transaction."""
    example = RoutingExample(
        text=mask_personal_data(text), department=department, source=source, source_ref=source_ref
    )
    session.add(example)
    return example


def label_ticket(
    session: Session, *, ticket_id: int, text: str, department: str, source: str
) -> RoutingExample | None:
    """The ticket's one example: where staff last placed its matter. A later decision about
    the same ticket (another transfer, closing elsewhere) replaces the earlier label; the same
    department again keeps it. None when the ticket holds no text to learn from."""
    if not text.strip():
        return None
    ref = f"ticket:{ticket_id}"
    known = session.scalars(select(RoutingExample).where(RoutingExample.source_ref == ref)).all()
    if len(known) == 1 and known[0].department == department:
        return known[0]
    session.execute(delete(RoutingExample).where(RoutingExample.source_ref == ref))
    return add_example(session, text=text, department=department, source=source, source_ref=ref)


@dataclass(frozen=True, slots=True)
class ExampleImport:
    """What an import stored."""

    rows: int
    by_department: dict[str, int]


def import_examples(
    session: Session, *, path: Path, departments: Collection[str], actor: str
) -> ExampleImport:
    """Import a history file (CSV / XLSX / JSONL with text and department), all rows or none;
    a department that is not in the directory makes its row bad (ImportRejected names each)."""
    known = set(departments)

    def check(row: ExampleRow) -> str | None:
        return None if row.department in known else f"部门 {row.department} 不在部门目录中"

    rows = validated_rows(path, ExampleRow, check=check, rename=_renamed)
    counts: dict[str, int] = {}
    for row in rows:
        add_example(
            session, text=row.text, department=row.department, source="import", source_ref=path.name
        )
        counts[row.department] = counts.get(row.department, 0) + 1
    session.flush()
    record_change(
        session,
        actor=actor,
        action="routing.import",
        target_type="routing_examples",
        target=path.name,
        detail={"rows": len(rows)},
    )
    return ExampleImport(rows=len(rows), by_department=counts)


def all_examples(session: Session) -> list[RoutingExample]:
    """Every stored example, oldest first."""
    return list(session.scalars(select(RoutingExample).order_by(RoutingExample.id)))


def newest_examples(
    session: Session, *, limit: int, department: str | None = None
) -> list[RoutingExample]:
    """The newest `limit` examples (of one department's name when given), newest first."""
    query = select(RoutingExample).order_by(RoutingExample.id.desc()).limit(limit)
    if department is not None:
        query = query.where(RoutingExample.department == department)
    return list(session.scalars(query))


def example_count(session: Session, *, after: int = 0) -> int:
    """How many examples are stored (with an id above `after`: stored since then)."""
    query = select(func.count()).select_from(RoutingExample).where(RoutingExample.id > after)
    return int(session.scalar(query) or 0)
