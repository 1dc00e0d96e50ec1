"""`govbot serve` and `govbot chat` refuse to start in one clear line: an uninitialised database,
a busy port, an account that does not exist or is closed."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Govbot = Callable[..., CliResult]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_on_an_uninitialised_database_says_so_in_one_line(
    govbot: Govbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-initialised.db'}")
    result = govbot("serve", "--port", "0")
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "错误：数据库尚未初始化：请先运行 govbot init（建表并载入样例县数据）"
    ]
    assert "正在运行" not in result.out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_on_a_busy_port_says_so_in_one_line(govbot: Govbot) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = govbot("serve", "--host", "127.0.0.1", "--port", str(port))
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert line.startswith("错误：无法监听") and str(port) in line
    assert "正在运行" not in result.out


def test_chat_with_an_unknown_or_closed_account_says_so_in_one_line(govbot: Govbot) -> None:
    assert govbot("init", "-u", "admin").code == 0
    unknown = govbot("chat", "--account", "nope")
    assert unknown.code == 1
    assert unknown.err.strip().splitlines() == ["错误：没有编号为 nope 的账号"]
    assert "已连接" not in unknown.out
    closing = ("close", "yunxi-jiaotong-wechat", "--reason", "撤并", "-u", "ed")
    assert govbot("accounts", *closing).code == 0
    closed = govbot("chat", "--account", "yunxi-jiaotong-wechat")
    assert closed.code == 1
    assert closed.err.strip().splitlines() == ["错误：账号 yunxi-jiaotong-wechat 已注销"]
    assert "已连接" not in closed.out
