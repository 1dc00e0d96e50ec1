"""Settings: environment and YAML sources, one-line errors with exit code 2, no secrets shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import CliResult

GOVBOT = Path(sys.executable).with_name("govbot")


def run_govbot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVBOT_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [str(GOVBOT), *args], env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_invalid_setting_stops_with_one_line_and_exit_code_2(tmp_path: Path) -> None:
    result = run_govbot("kb", "stats", DATABASE_URL="mysql://root@localhost/x")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "govbot: invalid setting DATABASE_URL: Value error, must start with sqlite://, "
        "postgresql:// or postgresql+psycopg://"
    ]


def test_invalid_nested_setting_is_named_as_the_environment_variable() -> None:
    result = run_govbot("kb", "stats", GOVBOT_LOG_LEVEL="LOUD", GOVBOT_TIMEZONE="Asia/Shanghai")
    assert result.returncode == 2
    assert result.stderr.startswith("govbot: invalid setting GOVBOT_LOG_LEVEL:")


def test_errors_and_settings_output_never_show_passwords(tmp_path: Path) -> None:
    url = "postgresql://govbot:s3cret-pw@127.0.0.1:5432/test"
    bad = run_govbot("kb", "stats", DATABASE_URL=url, GOVBOT_TIMEZONE="Mars/Olympus")
    assert bad.returncode == 2 and "s3cret" not in bad.stderr and "GOVBOT_TIMEZONE" in bad.stderr
    shown = run_govbot("settings", DATABASE_URL=url, REDIS_URL="redis://:r3dis-pw@127.0.0.1:6379/0")
    assert shown.returncode == 0
    assert "s3cret" not in shown.stdout and "r3dis" not in shown.stdout
    data = json.loads(shown.stdout)
    assert data["database_url"] == "postgresql://govbot:***@127.0.0.1:5432/test"


def test_yaml_settings_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    settings_file = tmp_path / "govbot.yaml"
    settings_file.write_text("log_level: DEBUG\ntimezone: Asia/Urumqi\n", encoding="utf-8")
    result = run_govbot(
        "settings", GOVBOT_SETTINGS_FILE=str(settings_file), GOVBOT_TIMEZONE="Asia/Shanghai"
    )
    data = json.loads(result.stdout)
    assert (data["log_level"], data["timezone"]) == ("DEBUG", "Asia/Shanghai")


def test_missing_settings_file_is_an_error() -> None:
    result = run_govbot("settings", GOVBOT_SETTINGS_FILE="/nonexistent/govbot.yaml")
    assert result.returncode == 2
    assert "GOVBOT_SETTINGS_FILE" in result.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_help_needs_no_settings(govbot: object) -> None:
    result: CliResult = govbot("--help")  # type: ignore[operator]
    assert result.code == 0 and "kb" in result.out


def test_a_command_before_init_says_to_run_init_instead_of_crashing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    # Lexical mode: this is about the hint before init; a semantic init runs in test_chat_cli.
    run = partial(run_govbot, DATABASE_URL=url, GOVBOT_NLU__ENCODER="none")
    before = run("ask", "社保卡丢了怎么补办")
    assert before.returncode == 1
    assert "govbot init" in before.stderr and "Traceback" not in before.stderr
    assert run("init").returncode == 0
    after = run("ask", "--json", "社保卡丢了怎么补办")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["decision"]["kind"] == "answer"


def test_settings_say_whether_the_engine_runs_on_meaning_or_on_words() -> None:
    semantic = json.loads(run_govbot("settings").stdout)["answer_engine"]
    assert semantic["mode"] == "semantic" and semantic["encoder"].startswith("multilingual-e5")
    lexical = run_govbot("settings", GOVBOT_NLU__ENCODER="no-such-encoder")
    engine = json.loads(lexical.stdout)["answer_engine"]
    assert engine["mode"] == "lexical" and "no-such-encoder" in engine["encoder_error"]
