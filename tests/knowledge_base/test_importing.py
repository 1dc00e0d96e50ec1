"""Import and export: all-or-nothing validation, idempotent re-import, every file format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from knowledge_base.catalog import entry_stats
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database
from knowledge_base.importing import ImportRejected, export_file, import_file
from knowledge_base.snapshot import load_snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "entries"


def stats(db: Database) -> dict[str, int]:
    with db.session() as session:
        return entry_stats(session)


def test_good_file_is_published_and_unknown_departments_created(db: Database) -> None:
    with db.session() as session:
        report = import_file(session, path=FIXTURES / "good.jsonl", actor="admin")
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert len(report.departments_created) == 3
    with db.session() as session:
        items = {i.code: i for i in load_snapshot(session, today=CountyClock().today()).items}
    assert items["GA-0001"].alternates == ("身份证掉了去哪补", "身份证遗失补领")
    assert items["SB-0001"].source_url == "https://www.yunxi.gov.cn/art/1.html"


def test_reimporting_the_same_file_changes_nothing(db: Database) -> None:
    with db.session() as session:
        import_file(session, path=FIXTURES / "good.jsonl", actor="admin")
    before = stats(db)
    with db.session() as session:
        report = import_file(session, path=FIXTURES / "good.jsonl", actor="admin")
    assert not report.changed and report.unchanged == 3
    assert stats(db) == before


def test_changed_row_becomes_a_new_version(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        import_file(session, path=FIXTURES / "good.jsonl", actor="admin")
    lines = (FIXTURES / "good.jsonl").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("国家医保服务平台App", "浙里办")
    changed = tmp_path / "changed.jsonl"
    changed.write_text("\n".join(lines), encoding="utf-8")
    with db.session() as session:
        report = import_file(session, path=changed, actor="admin")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert stats(db)["versions"] == 4


def test_one_bad_row_imports_nothing_and_names_every_bad_row(db: Database) -> None:
    with pytest.raises(ImportRejected) as caught, db.session() as session:
        import_file(session, path=FIXTURES / "bad_row.jsonl", actor="admin")
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("第 2 行") and "问题" in messages[0]
    assert messages[1].startswith("第 3 行") and "日期" in messages[1]
    assert messages[2].startswith("第 4 行") and "重复" in messages[2]
    assert messages[3].startswith("第 5 行") and "JSON" in messages[3]
    assert stats(db)["entries"] == 0 and stats(db)["departments"] == 0


@pytest.mark.parametrize("suffix", [".jsonl", ".yaml", ".csv", ".xlsx"])
def test_export_then_import_round_trips_in_every_format(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    with db.session() as session:
        import_file(session, path=FIXTURES / "good.jsonl", actor="admin")
    exported = tmp_path / f"kb{suffix}"
    with db.session() as session:
        assert export_file(session, path=exported) == 3
    with db.session() as session:
        report = import_file(session, path=exported, actor="admin")
    assert report.unchanged == 3 and not report.changed


def test_bad_rows_are_located_in_csv_xlsx_and_yaml(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        import_file(session, path=FIXTURES / "good.jsonl", actor="admin")
    base = tmp_path / "kb"
    with db.session() as session:
        for suffix in (".csv", ".xlsx", ".yaml"):
            export_file(session, path=base.with_suffix(suffix))
    # Break the third entry (YB-0001) in each format: its question becomes empty.
    rows = list(
        csv.reader(base.with_suffix(".csv").read_text(encoding="utf-8-sig").splitlines(True))
    )
    rows[3][2] = ""
    with base.with_suffix(".csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    book = load_workbook(base.with_suffix(".xlsx"))
    book.active["C4"] = None  # type: ignore[index]
    book.save(base.with_suffix(".xlsx"))
    yaml_text = base.with_suffix(".yaml").read_text(encoding="utf-8")
    base.with_suffix(".yaml").write_text(
        yaml_text.replace("question: 异地就医怎么备案？", "question: ''"), encoding="utf-8"
    )
    expected_yaml_line = next(
        n for n, line in enumerate(yaml_text.splitlines(), 1) if "YB-0001" in line
    )
    found = {}
    for suffix in (".csv", ".xlsx", ".yaml"):
        with pytest.raises(ImportRejected) as caught, db.session() as session:
            import_file(session, path=base.with_suffix(suffix), actor="admin")
        found[suffix] = [str(e) for e in caught.value.errors]
    # Multi-line cells (alternate wordings) shift CSV records, so locate the record's first line.
    csv_text = base.with_suffix(".csv").read_text(encoding="utf-8")
    csv_line = next(
        n for n, line in enumerate(csv_text.splitlines(), 1) if line.startswith("YB-0001")
    )
    assert found[".csv"] == [f"第 {csv_line} 行：缺少问题(question)"]
    assert found[".xlsx"] == ["工作表“entries”第 4 行：缺少问题(question)"]
    assert found[".yaml"] == [f"第 {expected_yaml_line} 行：问题(question)不能为空"]
    assert stats(db)["versions"] == 3


def test_the_public_faq_file_imports_as_it_is(db: Database, shared_eval: Path) -> None:
    path = shared_eval / "gov_faq_kb.jsonl"
    with db.session() as session:
        report = import_file(session, path=path, actor="admin")
    total = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert report.created == total == 2081
    assert stats(db)["entries"] == 2081
    # The one row without an answer waits as a draft instead of being published empty.
    assert stats(db)["published"] == 2081 - len(report.drafts_without_answer)
    with db.session() as session:
        again = import_file(session, path=path, actor="admin")
    assert not again.changed


def test_unknown_fields_and_unsupported_formats_are_refused(db: Database, tmp_path: Path) -> None:
    typo = tmp_path / "typo.jsonl"
    typo.write_text(
        json.dumps({"id": "x", "department": "d", "question": "q", "answr": "a"}), encoding="utf-8"
    )
    with pytest.raises(ImportRejected) as caught, db.session() as session:
        import_file(session, path=typo, actor="admin")
    assert "未知字段 answr" in str(caught.value.errors[0])
    with pytest.raises(Exception, match="不支持"), db.session() as session:
        import_file(session, path=tmp_path / "kb.txt", actor="admin")


FORMULAS = ['=HYPERLINK("http://evil","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cells_that_look_like_formulas_are_exported_as_text(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    source = tmp_path / "formulas.jsonl"
    source.write_text(
        "".join(
            json.dumps(
                {"code": f"F-{n}", "department": "测试局", "question": f"问题{n}", "answer": text},
                ensure_ascii=False,
            )
            + "\n"
            for n, text in enumerate(FORMULAS)
        ),
        encoding="utf-8",
    )
    with db.session() as session:
        import_file(session, path=source, actor="admin")
    exported = tmp_path / f"kb{suffix}"
    with db.session() as session:
        export_file(session, path=exported)
    if suffix == ".csv":
        with exported.open(encoding="utf-8-sig", newline="") as lines:
            answers = [row["answer"] for row in csv.DictReader(lines)]
        assert sorted(answers) == sorted("'" + text for text in FORMULAS)
    else:
        sheet = load_workbook(exported).worksheets[0]
        column = [c.value for c in sheet[1]].index("answer")
        cells = [row[column] for row in sheet.iter_rows(min_row=2)]
        assert all(cell.data_type == "s" for cell in cells)
        assert sorted(cell.value for cell in cells) == sorted(FORMULAS)
    with db.session() as session:
        report = import_file(session, path=exported, actor="admin")
    assert report.unchanged == len(FORMULAS) and not report.changed
