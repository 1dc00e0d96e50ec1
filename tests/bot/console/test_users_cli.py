"""`govbot users`: creating the first admin from a script, listing and disabling users."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import select

from knowledge_base.db import Database
from knowledge_base.models.users import ConsoleRole, ConsoleUser
from tests.conftest import CliResult


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
    typed = iter(["a-long-passphrase", "a-long-passphrasf"])
    # What the person at the terminal types, where the prompt reads it (without echo).
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    refused = run("users", "add", "chief", "--role", "admin")
    assert refused.code == 1 and "两次输入的密码不一致" in refused.err
    assert "密码" in refused.out and "再次输入密码" in refused.out
    assert "Repeat" not in refused.out + refused.err
    assert "chief" not in run("users", "list").out
