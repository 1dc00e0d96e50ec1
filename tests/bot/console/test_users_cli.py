"""`govbot users`: creating the first admin from a script, listing and disabling users."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from knowledge_base.db import Database
from knowledge_base.models.users import ConsoleRole, ConsoleUser
from tests.conftest import CliResult

GOVBOT = Path(sys.executable).with_name("govbot")


class Terminal(io.StringIO):
    """Standard input that is a terminal (what a person types at is read by the prompt)."""

    def isatty(self) -> bool:
        return True


def password_hash(database_url: str, username: str) -> str:
    database = Database(database_url)
    with database.session() as session:
        user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
        assert user is not None
        found = user.password_hash
    database.dispose()
    return found


def test_the_first_admin_is_created_with_a_password_from_stdin(
    govbot: Callable[..., CliResult],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = govbot
    assert run("init").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-passphrase\n"))
    added = run("users", "add", "chief", "--role", "admin", "--password-stdin")
    assert added.code == 0, added.err
    assert "已添加用户 chief（管理员）" in added.out
    database = Database(database_url)
    with database.session() as session:
        user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == "chief"))
        assert user is not None and user.role is ConsoleRole.ADMIN
        assert user.password_hash.startswith("$argon2id$")
        assert "a-long-passphrase" not in user.password_hash
    database.dispose()

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    refused = run(
        "users", "add", "ed", "--role", "editor", "--department", "gaj", "--password-stdin"
    )
    assert refused.code == 1 and "密码至少需要 8 个字符" in refused.err
    monkeypatch.setattr("sys.stdin", io.StringIO("another-passphrase\n"))
    no_department = run("users", "add", "ed", "--role", "editor", "--password-stdin")
    assert no_department.code == 1 and "编辑必须指定所属部门" in no_department.err

    assert run("users", "disable", "chief").code == 0
    listing = run("users", "list")
    assert "chief" in listing.out and "已停用" in listing.out


def test_the_password_prompt_asks_twice_in_chinese_and_refuses_a_mismatch(
    govbot: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = govbot
    assert run("init").code == 0
    monkeypatch.setattr("sys.stdin", Terminal())
    typed = iter(["a-long-passphrase", "a-long-passphrasf"])
    # What the person at the terminal types, where the prompt reads it (without echo).
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    refused = run("users", "add", "chief", "--role", "admin")
    assert refused.code == 1 and "两次输入的密码不一致" in refused.err
    assert "密码" in refused.out and "再次输入密码" in refused.out
    assert "Repeat" not in refused.out + refused.err
    assert "chief" not in run("users", "list").out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_a_terminal_the_password_is_refused_in_chinese_not_with_a_python_warning(
    govbot: Callable[..., CliResult], database_url: str
) -> None:
    assert govbot("init").code == 0
    env = {**os.environ, "DATABASE_URL": database_url, "GOVBOT_LOG_LEVEL": "WARNING"}
    added = subprocess.run(
        [str(GOVBOT), "users", "add", "chief", "--role", "admin", "--password-stdin"],
        input="a-long-passphrase\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    before = password_hash(database_url, "chief")
    # `govbot users password chief </dev/null` from a script, with no controlling terminal.
    changed = subprocess.run(
        [str(GOVBOT), "users", "password", "chief"],
        stdin=subprocess.DEVNULL,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert changed.returncode == 1
    assert changed.stderr.strip() == (
        "错误：没有读到密码：请在终端中运行本命令，或从标准输入提供密码（一行）"
    )
    assert "Warning" not in changed.stdout + changed.stderr
    assert password_hash(database_url, "chief") == before


def test_a_piped_password_is_read_without_the_option(
    govbot: Callable[..., CliResult], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert govbot("init").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-passphrase\n"))
    assert govbot("users", "add", "chief", "--role", "admin").code == 0
    before = password_hash(database_url, "chief")
    monkeypatch.setattr("sys.stdin", io.StringIO("another-long-passphrase\n"))
    changed = govbot("users", "password", "chief")
    assert changed.code == 0, changed.err
    assert "已为用户 chief 设置新密码" in changed.out
    assert password_hash(database_url, "chief") != before
