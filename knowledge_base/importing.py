"""Importing entry files all-or-nothing, and exporting the published knowledge base.

Every row is validated before anything is written; one bad row rejects the whole file and each bad
row is reported with its line. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge_base.content import EntryContent
from knowledge_base.departments import ensure_department
from knowledge_base.entry_files import RawRow, read_rows, write_rows
from knowledge_base.errors import KbError
from knowledge_base.models import Entry, EntryStatus
from knowledge_base.workflow import publish_directly, save_draft

FIELD_LABELS = {
    "code": "编号(code/id)",
    "department": "部门(department)",
    "question": "问题(question)",
    "answer": "答案(answer)",
    "alternates": "其他问法(alternates)",
    "tags": "标签(tags)",
    "source_title": "来源标题(source_title)",
    "source_url": "来源链接(source_url)",
    "valid_from": "生效日期(valid_from)",
    "valid_until": "失效日期(valid_until)",
}


class ImportRow(EntryContent):
    """One row of an entry file: content plus its stable code and owner department."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    code: str = Field(min_length=1, max_length=64, validation_alias="id")
    department: str = Field(min_length=1, max_length=200)

    def content(self) -> EntryContent:
        """The editable content without code and department."""
        return EntryContent.model_validate(self.model_dump(exclude={"code", "department"}))


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row of a file was refused."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}"


class ImportRejected(KbError):
    """The file had bad rows; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"文件有 {len(errors)} 行不合格，未导入任何条目")
        self.errors = errors


@dataclass(slots=True)
class ImportReport:
    """What an import did."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: list[str] = field(default_factory=list)
    # Rows without an answer cannot be published; they are kept as drafts for an editor.
    drafts_without_answer: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.created or self.updated or self.departments_created)


def validate_rows(raw_rows: list[RawRow]) -> tuple[list[ImportRow], list[RowError]]:
    """Check every row; returns the good rows and one error per bad row."""
    good: list[ImportRow] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for raw in raw_rows:
        if raw.data is None:
            errors.append(RowError(raw.where, raw.problem))
            continue
        data = dict(raw.data)
        if "code" in data and "id" not in data:
            data["id"] = data.pop("code")
        try:
            row = ImportRow.model_validate(_textual_code(data))
        except ValidationError as exc:
            errors.append(RowError(raw.where, _explain(exc.errors()[0])))
            continue
        if row.code in seen:
            errors.append(RowError(raw.where, f"编号 {row.code} 与{seen[row.code]}重复"))
            continue
        seen[row.code] = raw.where
        good.append(row)
    return good, errors


def import_file(session: Session, *, path: Path, actor: str, publish: bool = True) -> ImportReport:
    """Import an entry file in the caller's transaction, all rows or none.

    With `publish`, the file counts as reviewed: each new or changed row becomes a published
    version whose author is the file and whose reviewer is `actor`. Without it, rows become drafts
    by `actor` that go through review as usual.
    """
    rows, errors = validate_rows(read_rows(path))
    if errors:
        raise ImportRejected(errors)
    report = ImportReport(rows=len(rows))
    existing = {
        e.code: e
        for e in session.scalars(
            select(Entry)
            .where(Entry.code.in_([r.code for r in rows]))
            .options(selectinload(Entry.versions), selectinload(Entry.draft))
        )
    }
    departments = {}
    for name in dict.fromkeys(r.department for r in rows):
        departments[name], created = ensure_department(session, name=name, actor=actor)
        if created:
            report.departments_created.append(name)
    author = f"import:{path.name}"
    for row in rows:
        entry = existing.get(row.code)
        department = departments[row.department]
        content = row.content()
        if _unchanged(entry, department.id, content, publish=publish):
            report.unchanged += 1
            continue
        if entry is None:
            report.created += 1
        else:
            report.updated += 1
        if publish and not content.answer:
            report.drafts_without_answer.append(row.code)
            save_draft(
                session, code=row.code, content=content, author=author, department=department.code
            )
        elif publish:
            if entry is None:
                entry = Entry(code=row.code, department=department, status=EntryStatus.DRAFT)
                session.add(entry)
            entry.department = department
            publish_directly(
                session,
                entry=entry,
                content=content,
                author=author,
                reviewer=actor,
                reason=f"导入 {path.name}",
            )
        else:
            save_draft(
                session, code=row.code, content=content, author=actor, department=department.code
            )
    session.flush()
    return report


def export_file(session: Session, *, path: Path) -> int:
    """Write every published entry's live version to `path`; returns how many."""
    entries = session.scalars(
        select(Entry)
        .where(Entry.status == EntryStatus.PUBLISHED)
        .order_by(Entry.code)
        .options(selectinload(Entry.versions))
    )
    rows = []
    for entry in entries:
        version = entry.live_version
        if version is None:
            continue
        rows.append({"code": entry.code, "department": entry.department.name, **version.content()})
    return write_rows(path, rows)


def _unchanged(
    entry: Entry | None, department_id: int, content: EntryContent, *, publish: bool
) -> bool:
    if entry is None:
        return False
    new = content.as_columns()
    live = entry.live_version
    if live is not None and live.content() == new and entry.department_id == department_id:
        return True
    # A row kept as a draft (draft mode, or no answer yet) is unchanged if the draft matches.
    same_draft = entry.draft is not None and entry.draft.content() == new
    return same_draft and (not publish or not content.answer)


def _textual_code(data: dict[str, Any]) -> dict[str, Any]:
    # Codes that look like numbers in a spreadsheet are still codes.
    if isinstance(data.get("id"), int | float):
        data["id"] = str(data["id"])
    return data


def _explain(error: ErrorDetails) -> str:
    loc = [str(p) for p in error["loc"]]
    name = "code" if loc and loc[0] == "id" else (loc[0] if loc else "")
    label = FIELD_LABELS.get(name, name)
    kind = error["type"]
    if kind == "missing":
        return f"缺少{label}"
    if kind == "extra_forbidden":
        return f"未知字段 {name}"
    if kind == "string_too_short":
        return f"{label}不能为空"
    if kind == "string_too_long":
        return f"{label}过长"
    if kind in (
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return f"{label}不是有效日期（应为 YYYY-MM-DD）"
    if kind in ("string_type", "list_type"):
        return f"{label}格式不对"
    message = error["msg"].removeprefix("Value error, ")
    return f"{label}：{message}" if label else message
