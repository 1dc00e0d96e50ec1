"""Settings: environment and YAML sources, one-line errors with exit code 2, no secrets shown."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import CliResult, run_in_process

Run = Callable[..., CliResult]


@pytest.fixture
def run_govbot(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`run_govbot("settings", GOVBOT_X="…")`: govbot in this process, with only the settings
    given in its environment (a subprocess each cost seconds of imports)."""

    def run(*args: str, **env: str) -> CliResult:
        for key in list(os.environ):
            if key.startswith(("GOVBOT_", "DATABASE_URL", "REDIS_URL")):
                monkeypatch.delenv(key)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return run_in_process(monkeypatch, capsys, *args)

    return run


def test_invalid_setting_stops_with_one_line_and_exit_code_2(
    run_govbot: Run, tmp_path: Path
) -> None:
    result = run_govbot("kb", "stats", DATABASE_URL="mysql://root@localhost/x")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "govbot: invalid setting DATABASE_URL: Value error, must start with sqlite://, "
        "postgresql:// or postgresql+psycopg://"
    ]


def test_invalid_nested_setting_is_named_as_the_environment_variable(run_govbot: Run) -> None:
    result = run_govbot("kb", "stats", GOVBOT_LOG_LEVEL="LOUD", GOVBOT_TIMEZONE="Asia/Shanghai")
    assert result.code == 2
    assert result.err.startswith("govbot: invalid setting GOVBOT_LOG_LEVEL:")


def test_errors_and_settings_output_never_show_passwords(run_govbot: Run, tmp_path: Path) -> None:
    url = "postgresql://govbot:s3cret-pw@127.0.0.1:5432/test"
    bad = run_govbot("kb", "stats", DATABASE_URL=url, GOVBOT_TIMEZONE="Mars/Olympus")
    assert bad.code == 2 and "s3cret" not in bad.err and "GOVBOT_TIMEZONE" in bad.err
    shown = run_govbot("settings", DATABASE_URL=url, REDIS_URL="redis://:r3dis-pw@127.0.0.1:6379/0")
    assert shown.code == 0
    assert "s3cret" not in shown.out and "r3dis" not in shown.out
    data = json.loads(shown.out)
    assert data["database_url"] == "postgresql://govbot:***@127.0.0.1:5432/test"


def test_yaml_settings_file_is_read_and_environment_wins(run_govbot: Run, tmp_path: Path) -> None:
    settings_file = tmp_path / "govbot.yaml"
    settings_file.write_text("log_level: DEBUG\ntimezone: Asia/Urumqi\n", encoding="utf-8")
    result = run_govbot(
        "settings", GOVBOT_SETTINGS_FILE=str(settings_file), GOVBOT_TIMEZONE="Asia/Shanghai"
    )
    data = json.loads(result.out)
    assert (data["log_level"], data["timezone"]) == ("DEBUG", "Asia/Shanghai")


def test_missing_settings_file_is_an_error(run_govbot: Run) -> None:
    result = run_govbot("settings", GOVBOT_SETTINGS_FILE="/nonexistent/govbot.yaml")
    assert result.code == 2
    assert "GOVBOT_SETTINGS_FILE" in result.err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_help_needs_no_settings(govbot: object) -> None:
    result: CliResult = govbot("--help")  # type: ignore[operator]
    assert result.code == 0 and "kb" in result.out


def test_a_command_before_init_says_to_run_init_instead_of_crashing(
    run_govbot: Run, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    # Lexical mode: this is about the hint before init; a semantic init runs in test_chat_cli.
    run = partial(run_govbot, DATABASE_URL=url, GOVBOT_NLU__ENCODER="none")
    before = run("ask", "社保卡丢了怎么补办")
    assert before.code == 1
    assert "govbot init" in before.err and "Traceback" not in before.err
    assert run("init").code == 0
    after = run("ask", "--json", "社保卡丢了怎么补办")
    assert after.code == 0, after.err
    assert json.loads(after.out)["decision"]["kind"] == "answer"


def test_settings_say_whether_the_engine_runs_on_meaning_or_on_words(run_govbot: Run) -> None:
    semantic = json.loads(run_govbot("settings").out)["answer_engine"]
    assert semantic["mode"] == "semantic" and semantic["encoder"].startswith("multilingual-e5")
    lexical = run_govbot("settings", GOVBOT_NLU__ENCODER="no-such-encoder")
    engine = json.loads(lexical.out)["answer_engine"]
    assert engine["mode"] == "lexical" and "no-such-encoder" in engine["encoder_error"]
