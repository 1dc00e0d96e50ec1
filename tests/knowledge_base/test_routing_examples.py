"""Routing examples: imported all or none, each bad row named, personal numbers masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.db import Database
from knowledge_base.importing import ImportRejected
from knowledge_base.routing_examples import all_examples, example_count, import_examples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "routing"
DEPARTMENTS = {
    "市生态环境局云溪分局",
    "云溪县综合行政执法局",
    "云溪县公安局",
    "云溪县人力资源和社会保障局",
    "云溪县住房和城乡建设局",
    "云溪县教育局",
}


def test_history_is_imported_with_its_source_and_numbers_masked(db: Database) -> None:
    with db.session() as session:
        report = import_examples(
            session,
            path=FIXTURES / "sample_county_history.jsonl",
            departments=DEPARTMENTS,
            actor="test",
        )
    assert report.rows == 31
    assert report.by_department["市生态环境局云溪分局"] == 6
    with db.session() as session:
        examples = all_examples(session)
    assert {e.source for e in examples} == {"import"}
    assert {e.source_ref for e in examples} == {"sample_county_history.jsonl"}
    stolen = next(e for e in examples if "电动车" in e.text)
    assert "13812345678" not in stolen.text


def test_a_bad_row_imports_nothing_and_each_is_named(db: Database) -> None:
    with db.session() as session, pytest.raises(ImportRejected) as rejected:
        import_examples(
            session, path=FIXTURES / "bad_rows.csv", departments=DEPARTMENTS, actor="test"
        )
    reasons = [str(e) for e in rejected.value.errors]
    assert len(reasons) == 2
    assert "云溪县路灯管理所" in reasons[0]
    assert "text" in reasons[1]
    with db.session() as session:
        assert example_count(session) == 0
