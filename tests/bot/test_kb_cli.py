"""The `govbot` command line as an operator uses it: init, import, stats, workflow, accounts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

Govbot = Callable[..., CliResult]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "entries"


def stats(govbot: Govbot) -> dict[str, int]:
    result = govbot("kb", "stats", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out.strip().splitlines()[-1])


def test_init_loads_the_sample_county_once(govbot: Govbot) -> None:
    first = govbot("init", "-u", "admin")
    assert first.code == 0, first.err
    assert "云溪县" in first.out
    counts = stats(govbot)
    assert counts["published"] >= 60 and counts["departments"] >= 10
    again = govbot("init", "-u", "admin")
    assert again.code == 0 and stats(govbot) == counts


def test_import_reports_changes_then_no_change(govbot: Govbot) -> None:
    first = govbot("kb", "import", str(FIXTURES / "good.jsonl"), "-u", "admin")
    assert first.code == 0 and "新增 3" in first.out
    second = govbot("kb", "import", str(FIXTURES / "good.jsonl"), "-u", "admin")
    assert second.code == 0 and "没有变化" in second.out


def test_bad_file_prints_each_row_exits_non_zero_and_imports_nothing(govbot: Govbot) -> None:
    result = govbot("kb", "import", str(FIXTURES / "bad_row.jsonl"), "-u", "admin")
    assert result.code == 1
    assert "第 2 行" in result.err and "第 5 行" in result.err
    assert result.err.strip().splitlines()[-1] == "错误：文件有 4 行不合格，未导入任何条目"
    assert stats(govbot)["entries"] == 0


def test_review_workflow_from_the_command_line(govbot: Govbot) -> None:
    govbot("kb", "import", str(FIXTURES / "good.jsonl"), "-u", "admin")
    draft = govbot(
        "kb",
        "draft",
        "GA-0009",
        "-u",
        "editor",
        "--department",
        "云溪县公安局",
        "--question",
        "临时身份证怎么办理？",
        "--answer",
        "到户籍窗口当场办理，工本费10元。",
        "--alternate",
        "临时身份证在哪办",
    )
    assert draft.code == 0, draft.err
    assert govbot("kb", "submit", "GA-0009", "-u", "editor").code == 0
    # A reviewer's comment quoting a caller's numbers is shown masked, as exports are.
    comment = "群众 13812345678 反映身份证 330102199001011234 办理要带户口簿，请补充"
    assert govbot("kb", "reject", "GA-0009", "-u", "reviewer", "--comment", comment).code == 0
    sent_back = govbot("kb", "show", "GA-0009").out
    assert "审核意见：群众 138****5678 反映身份证 330102********1234 办理要带户口簿" in sent_back
    assert "13812345678" not in sent_back and "199001011234" not in sent_back
    assert govbot("kb", "submit", "GA-0009", "-u", "editor").code == 0
    own = govbot("kb", "publish", "GA-0009", "-u", "editor")
    assert (
        own.code == 1 and "不能审核自己的内容" in own.err and len(own.err.strip().splitlines()) == 1
    )
    approved = ("kb", "publish", "GA-0009", "-u", "reviewer", "--reason", "已与 0578-5123456 核实")
    assert govbot(*approved).code == 0
    shown = govbot("kb", "show", "GA-0009")
    assert "第 1 版" in shown.out and "审核 reviewer" in shown.out
    assert "已与 0578-***3456 核实" in shown.out and "5123456" not in shown.out
    assert "状态：已发布" in shown.out and "published" not in shown.out
    assert govbot("kb", "retire", "GA-0009", "-u", "reviewer", "--reason", "测试").code == 0
    assert stats(govbot)["retired"] == 1
    listed = govbot("kb", "list", "--status", "published")
    assert "GA-0001" in listed.out and "GA-0009" not in listed.out


def test_unknown_entry_is_one_clear_line(govbot: Govbot) -> None:
    result = govbot("kb", "show", "NOPE-1")
    assert result.code == 1
    assert result.err.strip() == "错误：没有编号为 NOPE-1 的条目"


def test_accounts_commands_enforce_the_rules(govbot: Govbot) -> None:
    govbot("init", "-u", "admin")
    dup = govbot(
        "accounts",
        "add",
        "ga-wx-2",
        "-u",
        "office",
        "--platform",
        "wechat_official",
        "--name",
        "云溪公安",
        "--department",
        "gaj",
    )
    assert dup.code == 1 and "同一平台只能开设一个账号" in dup.err
    listed = govbot("accounts", "list")
    assert "名称不一致" in listed.out
    check = govbot("accounts", "check")
    assert check.code == 1
    fixed = govbot(
        "accounts", "change", "yunxi-shijian-weibo", "-u", "office", "--name", "云溪市场监管"
    )
    assert fixed.code == 0, fixed.err
    assert govbot("accounts", "check").code == 0
    pending = govbot("accounts", "filings", "--pending")
    assert "│ 变更 │" in pending.out and "change" not in pending.out, "the action in Chinese"


def test_export_writes_every_published_entry(govbot: Govbot, tmp_path: Path) -> None:
    govbot("init", "-u", "admin")
    out = tmp_path / "kb.xlsx"
    result = govbot("kb", "export", str(out))
    assert result.code == 0
    assert f"已导出 {stats(govbot)['published']} 条" in result.out
