"""`govbot init` then `govbot chat` in a terminal, as a new user would first try the bot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_in_process

GOVBOT = Path(sys.executable).with_name("govbot")


def test_console_chat_answers_clarifies_and_hands_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVBOT_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'chat.db'}", GOVBOT_LOG_LEVEL="WARNING")
    # init runs in this process, where the county's 367 wordings are already encoded (encoding
    # them again in a new process took minutes on a loaded 2-core machine); it stores them in
    # the new database, from which the chat, a process of its own as in a terminal, reads them.
    for key in set(os.environ) - set(env):
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    init = run_in_process(monkeypatch, capsys, "init")
    assert init.code == 0, init.err
    chat = subprocess.run(
        [str(GOVBOT), "chat"],
        input="社保卡丢了怎么补办\n转人工\n退出\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert chat.returncode == 0, chat.stderr
    out = chat.stdout
    assert "欢迎关注云溪发布" in out
    assert "挂失" in out  # the sample county's answer on replacing a social security card
    assert "已为您转接人工服务" in out
    assert out.rstrip().endswith("再见！")
