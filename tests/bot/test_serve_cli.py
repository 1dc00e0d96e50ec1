"""`govbot serve` refuses to start in one clear line: an uninitialised database, a busy port."""

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
