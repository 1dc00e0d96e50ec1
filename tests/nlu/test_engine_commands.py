"""`govbot eval`, `govbot eval fit` and `govbot bench answer` on tiny files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import engine_commands
from nlu.builtin import BuiltinNlu
from nlu.settings import NluSettings
from tests.nlu.engine import decide
from tests.nlu.kb import ITEMS, snapshot

KB = [
    {"id": i.code, "question": i.question, "answer": i.answer, "department": i.department}
    for i in ITEMS
]
PARAPHRASES = {
    "GA-0001": ["身份证掉了去哪补", "居民身份证找不到了，补办要带什么"],
    "GA-0002": ["驾照快过期了在哪换", "驾驶证有效期满了换新证的流程"],
    "RS-0001": ["社保卡找不到了怎么重新办", "社会保障卡丢失补卡"],
    "RS-0002": ["被辞退了能领失业金吗", "失业金怎么申请"],
    "GJ-0001": ["公积金里的钱怎么取出来", "提取公积金要什么手续"],
    "WJ-0001": ["宝宝的出生证在哪领", "孩子刚出生，出生证明怎么办"],
}
EVERYDAY = [
    "今天天气怎么样",
    "推荐一部好看的电影",
    "红烧肉怎么做",
    "周末去哪玩",
    "帮我写首诗",
    "股票会涨吗",
]
QUERIES = [
    {"query": q, "expected_id": code, "kind": "paraphrase"}
    for code, texts in PARAPHRASES.items()
    for q in texts
] + [{"query": q, "expected_id": None, "kind": "unrelated"} for q in EVERYDAY]


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


@pytest.fixture
def eval_dir(tmp_path: Path) -> Path:
    """The four public training files, in miniature."""
    directory = tmp_path / "eval"
    directory.mkdir()
    for kb in ("gov_faq_kb.jsonl", "bench_kb.jsonl"):
        _jsonl(directory / kb, KB)
    for queries in ("citizen_queries.jsonl", "bench_queries.jsonl"):
        _jsonl(directory / queries, QUERIES)
    return directory


def _last_json(output: str) -> dict[str, object]:
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_eval_reports_every_rate_beside_the_baseline(eval_dir: Path, tmp_path: Path) -> None:
    args = [
        "eval",
        "--kb",
        str(eval_dir / "gov_faq_kb.jsonl"),
        "--queries",
        str(eval_dir / "citizen_queries.jsonl"),
        "--compare-baseline",
        "--vector-cache",
        str(tmp_path / "vectors.db"),
    ]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    last = _last_json(result.output)
    assert last["backend"] == "builtin" and last["n"] == len(QUERIES)
    for key in ("answer_at_1", "hit_at_3", "answered_wrong_rate", "referred_away_rate"):
        assert 0 <= last[key] <= 1  # type: ignore[operator]
    assert last["hit_at_3"] >= 0.75  # type: ignore[operator]
    assert last["false_answer_rate"] == 0.0
    assert set(last["by_kind"]) == {"paraphrase", "unrelated"}  # type: ignore[arg-type]
    assert last["engine"]["mode"] == "semantic"  # type: ignore[index]
    assert last["baseline"]["false_answer_rate"] > 0  # type: ignore[index]
    # A second run finds every wording's vector in the cache.
    again = CliRunner().invoke(_app(), args)
    assert _last_json(again.output)["engine"]["texts_encoded"] == 0  # type: ignore[index]


def test_eval_refuses_an_unknown_backend(eval_dir: Path) -> None:
    args = ["eval", "--kb", str(eval_dir / "gov_faq_kb.jsonl")]
    args += ["--queries", str(eval_dir / "citizen_queries.jsonl"), "--backend", "nope"]
    assert CliRunner().invoke(_app(), args).exit_code != 0


def test_eval_fit_writes_a_model_the_engine_then_uses(eval_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "model" / "decision_model.json"
    out.parent.mkdir()
    args = ["eval", "fit", "--eval-dir", str(eval_dir), "--out", str(out)]
    result = CliRunner().invoke(_app(), [*args, "--vector-cache", str(tmp_path / "v.db")])
    assert result.exit_code == 0, result.output
    card = json.loads(out.read_text(encoding="utf-8"))
    assert (out.parent / card["estimators"]).is_file()
    for mode in ("semantic", "lexical"):
        figures = card["modes"][mode]
        assert 0 < figures["answer_threshold"] <= 1 and 0 < figures["clarify_threshold"] <= 1
        assert set(figures["cross_validated"]) == {"citizen", "lcqmc"}
    engine = BuiltinNlu(NluSettings(decision_model=out))
    engine.load(snapshot())
    assert decide(engine, "身份证丢了怎么补办？").kind == "answer"


def test_eval_cross_validates_the_decision_model(eval_dir: Path, tmp_path: Path) -> None:
    args = ["eval", "--kb", str(eval_dir / "gov_faq_kb.jsonl")]
    args += ["--queries", str(eval_dir / "citizen_queries.jsonl"), "--cross-validate"]
    args += ["--eval-dir", str(eval_dir), "--vector-cache", str(tmp_path / "v.db")]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    folds = _last_json(result.output)["cross_validated"]
    assert set(folds) >= {"answer_at_1", "hit_at_3", "false_answer_rate"}  # type: ignore[arg-type]


def test_bench_answer_reports_each_size(eval_dir: Path, tmp_path: Path) -> None:
    args = ["bench", "answer", "--kb", str(eval_dir / "gov_faq_kb.jsonl")]
    args += ["--queries", str(eval_dir / "citizen_queries.jsonl"), "--sizes", "2,30"]
    result = CliRunner().invoke(_app(), [*args, "--vector-cache", str(tmp_path / "v.db")])
    assert result.exit_code == 0, result.output
    last = _last_json(result.output)
    assert [s["entries"] for s in last["sizes"]] == [2, 30]  # type: ignore[union-attr]
    assert last["encode_ms_per_text"] > 0  # type: ignore[operator]


def test_eval_fit_names_the_missing_public_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", "fit", "--eval-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "找不到公开评测数据" in result.output and "citizen_queries.jsonl" in result.output
