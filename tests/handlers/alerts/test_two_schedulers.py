"""Two scheduler processes on one PostgreSQL database push every alert exactly once."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select

from bot.settings import Settings
from knowledge_base.db import Database
from knowledge_base.models import Account, Alert, AlertStatus, Conversation, Ticket, TicketKind
from knowledge_base.staff import StaffRow, upsert_staff
from tests.fakes.telegram_api import FakeTelegramApi
from tests.live_server import county_database

GOVBOT = Path(sys.executable).with_name("govbot")
STAFF_BOT = "555000:staff-bot-token"
COUNTY_TZ = ZoneInfo("Asia/Shanghai")  # the default GOVBOT_TIMEZONE the schedulers run with
SCAN_SECONDS = 0.5
STARTED = "值班提醒服务已启动"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_schedulers_send_each_alert_once(database_url: str, tmp_path: Path) -> None:
    database = county_database(Settings(database_url=database_url))
    chats = {"rsj-duty": 7001, "rsj-duty2": 7002}
    with database.session() as session:
        for code, chat in chats.items():
            upsert_staff(
                session,
                StaffRow(
                    code=code, department="rsj", name=code, role="duty", telegram_chat_id=str(chat)
                ),
                actor="test",
            )
    with FakeTelegramApi([STAFF_BOT]).running() as api:
        schedulers = [_start_scheduler(database_url, tmp_path, api.base_url) for _ in range(2)]
        try:
            for process in schedulers:
                _wait_for_line(process, STARTED)
            # Both are scanning and dispatching before there is anything to send: they race.
            _add_overdue_tickets(database, 20)
            deadline = time.monotonic() + 120  # only stops a hung run
            while _sent_overdue(database) < 40 and time.monotonic() < deadline:
                time.sleep(0.1)
            # A few more scan and dispatch rounds, in which a second push would happen.
            time.sleep(3 * SCAN_SECONDS)
        finally:
            for process in schedulers:
                process.terminate()  # SIGTERM: a clean stop
        for process in schedulers:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err.decode()
            assert "值班提醒服务已停止" in out.decode()
        overdue_texts = [m for m in api.sent_to(None) if "已超期" in m.text]
    per_chat = Counter((m.chat_id, m.text.splitlines()[0]) for m in overdue_texts)
    assert len(per_chat) == 2 * 20  # every ticket reached both duty officers
    assert set(per_chat.values()) == {1}  # and nobody got any alert twice
    with database.session() as session:
        statuses = Counter(
            a.status for a in session.scalars(select(Alert).where(Alert.rule == "overdue"))
        )
    assert statuses == {AlertStatus.SENT: 40}
    database.dispose()


def _start_scheduler(database_url: str, directory: Path, api_url: str) -> subprocess.Popen[bytes]:
    settings_file = directory / "govbot.yaml"
    settings_file.write_text(
        yaml.safe_dump(
            {
                "notifiers": {"telegram": {"token": STAFF_BOT, "base_url": api_url}},
                # Every rule may fire at once whatever time the test runs.
                "alerts": {
                    "scan_seconds": SCAN_SECONDS,
                    "dispatch_seconds": 0.3,
                    "quiet_from": "00:00",
                    "quiet_until": "00:00",
                },
            }
        ),
        encoding="utf-8",
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVBOT_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=database_url,
        GOVBOT_SETTINGS_FILE=str(settings_file),
        GOVBOT_LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [str(GOVBOT), "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _wait_for_line(process: subprocess.Popen[bytes], wanted: str) -> None:
    """Read the process's output until `wanted`; generous, since start-up (imports, the answer
    engine) is slow on a busy machine: the limit only stops a hung process."""
    stdout = process.stdout
    assert stdout is not None
    lines: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=300)
    except queue.Empty:
        raise AssertionError(f"the scheduler never said {wanted!r}") from None
    assert wanted in line.decode(), line


def _add_overdue_tickets(database: Database, count: int) -> None:
    with database.session() as session:
        account = session.scalars(
            select(Account).where(Account.code == "yunxi-renshe-wechat")
        ).one()
        # Overdue since earlier today in the county: a deadline on a previous county day would
        # escalate past the duty officers (one rung per working day), e.g. when run after midnight.
        now = datetime.now(UTC)
        county_midnight = datetime.combine(
            now.astimezone(COUNTY_TZ).date(), dt_time.min, tzinfo=COUNTY_TZ
        )
        overdue_since = max(now - timedelta(hours=3), county_midnight)
        for n in range(count):
            conversation = Conversation(channel="web", account_id=account.id, citizen_id=f"c{n}")
            session.add(conversation)
            session.flush()
            session.add(
                Ticket(
                    conversation_id=conversation.id,
                    account_id=account.id,
                    department_id=account.department_id,
                    channel="web",
                    kind=TicketKind.HUMAN_REQUEST,
                    question=f"问题{n}",
                    created_at=overdue_since,
                    ack_due=overdue_since,
                    first_response_due=overdue_since,
                    resolution_due=overdue_since + timedelta(days=5),
                    warn_at=overdue_since,
                )
            )


def _sent_overdue(database: Database) -> int:
    with database.session() as session:
        return len(
            session.scalars(
                select(Alert.id).where(Alert.rule == "overdue", Alert.status == AlertStatus.SENT)
            ).all()
        )
