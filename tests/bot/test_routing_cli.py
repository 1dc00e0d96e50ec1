"""`govbot routing import|train|status`: a county's history changes where the bot refers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Govbot = Callable[..., CliResult]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "routing"
# Restaurant fumes: by its remit the enforcement bureau's (餐饮油烟); this county's history
# (the fixture) says its environment bureau handles them.
FUMES = "楼下饭店油烟太大了，熏得家里没法开窗"


def referral(govbot: Govbot, text: str) -> str | None:
    result = govbot("ask", "--json", text)
    assert result.code == 0, result.err
    decision = json.loads(result.out.strip().splitlines()[-1])["decision"]
    return decision["referral"]["name"] if decision["referral"] else None


def test_a_retrain_on_history_changes_a_referral(
    govbot: Govbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBOT_NLU__ROUTING_MODELS", str(tmp_path / "routing"))
    assert govbot("init", "-u", "admin").code == 0
    assert referral(govbot, FUMES) == "云溪县综合行政执法局"

    bad = govbot("routing", "import", str(FIXTURES / "bad_rows.csv"), "-u", "admin")
    assert bad.code == 1
    assert "第 3 行" in bad.err and "第 4 行：缺少 text" in bad.err
    assert "Field required" not in bad.err and "should" not in bad.err, "pydantic's English"
    assert "分派样本 0 条" in govbot("routing", "status").out

    # Two examples cannot teach a classifier: it would pull every message to their department.
    few = tmp_path / "few.jsonl"
    few.write_text(
        '{"text": "饭店油烟太大", "department": "市生态环境局云溪分局"}\n'
        '{"text": "工资被拖欠了", "department": "云溪县人力资源和社会保障局"}\n',
        encoding="utf-8",
    )
    assert govbot("routing", "import", str(few)).code == 0
    refused = govbot("routing", "train")
    assert refused.code == 1 and "样本太少" in refused.err
    assert referral(govbot, FUMES) == "云溪县综合行政执法局"  # still routed by remits

    good = govbot("routing", "import", str(FIXTURES / "sample_county_history.jsonl"))
    assert good.code == 0 and "31 条" in good.out
    trained = govbot("routing", "train")
    assert trained.code == 0, trained.err
    card = json.loads(trained.out.strip().splitlines()[-1])
    assert card["version"] == 1 and card["examples"] == 33
    assert 0 < card["cross_validated"]["mean"] <= 1
    assert referral(govbot, FUMES) == "市生态环境局云溪分局"
