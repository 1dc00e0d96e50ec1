"""`govbot init` then `govbot chat` in a terminal, as a new user would first try the bot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

GOVBOT = Path(sys.executable).with_name("govbot")


def test_console_chat_answers_clarifies_and_hands_over(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVBOT_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'chat.db'}", GOVBOT_LOG_LEVEL="WARNING")
    # A safety net, not a speed check: init encodes the county's 367 wordings, which takes
    # minutes on a loaded 2-core machine.
    init = subprocess.run(
        [str(GOVBOT), "init"], env=env, capture_output=True, text=True, timeout=600
    )
    assert init.returncode == 0, init.stderr
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
