"""`govbot eval` through the scratch store, and `govbot bench answer`, on tiny files."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from bot.cli import engine_commands

KB = [
    {
        "id": "T-1",
        "question": "身份证丢了怎么补办？",
        "answer": "到派出所补领。",
        "department": "公安局",
    },
    {
        "id": "T-2",
        "question": "怎么提取住房公积金？",
        "answer": "到公积金中心办理。",
        "department": "公积金中心",
    },
]
QUERIES = [
    {"query": "身份证丢了怎么补办", "expected_id": "T-1", "kind": "paraphrase"},
    {"query": "今天天气怎么样", "expected_id": None, "kind": "unrelated"},
]


def _app() -> typer.Typer:
    app = typer.Typer()
    engine_commands.register(app)

    @app.callback()
    def root() -> None:
        """Test root so sub-commands are addressed by name."""

    return app


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_eval_compares_with_the_baseline_and_ends_with_json(tmp_path: Path) -> None:
    kb = _jsonl(tmp_path / "kb.jsonl", KB)
    queries = _jsonl(tmp_path / "q.jsonl", QUERIES)
    args = ["eval", "--kb", str(kb), "--queries", str(queries), "--compare-baseline"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last["backend"] == "builtin" and last["n"] == 2
    assert last["answer_at_1"] == 1.0 and last["false_answer_rate"] == 0.0
    assert last["baseline"]["backend"] == "baseline"
    assert last["label_ceiling"]["answer_at_1_ceiling"] == 1.0


def test_eval_refuses_an_unknown_backend(tmp_path: Path) -> None:
    kb = _jsonl(tmp_path / "kb.jsonl", KB)
    queries = _jsonl(tmp_path / "q.jsonl", QUERIES)
    args = ["eval", "--kb", str(kb), "--queries", str(queries), "--backend", "nope"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code != 0


def test_bench_answer_reports_each_size(tmp_path: Path) -> None:
    kb = _jsonl(tmp_path / "kb.jsonl", KB)
    queries = _jsonl(tmp_path / "q.jsonl", QUERIES)
    args = ["bench", "answer", "--kb", str(kb), "--queries", str(queries), "--sizes", "2,30"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert [s["entries"] for s in last["sizes"]] == [2, 30]


def test_eval_fits_on_the_kb_alone_and_reports_a_threshold_curve(tmp_path: Path) -> None:
    kb = _jsonl(tmp_path / "kb.jsonl", KB)
    queries = _jsonl(tmp_path / "q.jsonl", QUERIES)
    args = ["eval", "--kb", str(kb), "--queries", str(queries), "--fit-calibration", "--curve"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert "bias" in last["calibration"]
    thresholds = [point["answer_threshold"] for point in last["curve"]]
    assert thresholds == sorted(thresholds) and len(thresholds) >= 5
    assert all(0 <= point["false_answer_rate"] <= 1 for point in last["curve"])
