"""Property-based: any entry file (JSONL, YAML, CSV, XLSX cells) is imported whole or refused
with reasons, never a crash and never half-stored; unstorable characters never reach the rows."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from knowledge_base.db import Database
from knowledge_base.errors import KbError
from knowledge_base.importing import import_file
from knowledge_base.models import EntryVersion

ANY_TEXT = st.text(st.characters(codec=None), max_size=120)
FIELDS = st.sampled_from(["code", "department", "question", "answer", "alternates", "tags", "x"])
ROW = st.dictionaries(FIELDS, ANY_TEXT, max_size=6)


@pytest.fixture(scope="module")
def database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as directory:
        db = Database(f"sqlite:///{Path(directory) / 'fuzz.db'}")
        db.migrate()
        yield db
        db.dispose()


def _versions(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(EntryVersion.id))) or 0)


def _import(db: Database, path: Path) -> None:
    before = _versions(db)
    try:
        with db.session() as session:
            import_file(session, path=path, actor="fuzz")
    except KbError:
        assert _versions(db) == before  # all rows or none
        return
    with db.session() as session:
        texts = session.scalars(select(EntryVersion.question)).all()
    assert all("\x00" not in t for t in texts)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


JSONL = st.lists(ROW, max_size=5).map(lambda rows: "\n".join(json.dumps(r) for r in rows))


@FUZZ
@given(
    suffix=st.sampled_from([".jsonl", ".yaml", ".csv"]),
    content=st.one_of(st.text(st.characters(codec="utf-8"), max_size=400), JSONL),
)
def test_any_text_file_is_imported_whole_or_refused(
    database: Database, suffix: str, content: str
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"entries{suffix}"
        path.write_text(content, encoding="utf-8")
        _import(database, path)


@FUZZ
@given(rows=st.lists(ROW, max_size=5))
def test_any_spreadsheet_is_imported_whole_or_refused(
    database: Database, rows: list[dict[str, str]]
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    header = ["code", "department", "question", "answer", "alternates", "tags", "x"]
    sheet.append(header)
    for row in rows:
        # openpyxl itself refuses control characters and surrogates in cells.
        sheet.append([_cell_text(row.get(h, "")) for h in header])
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "entries.xlsx"
        workbook.save(path)
        _import(database, path)


def _cell_text(value: str) -> str:
    return "".join(c for c in value if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
