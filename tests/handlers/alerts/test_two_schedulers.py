"""Two scheduler processes on one PostgreSQL database push every alert exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select

from bot.settings import Settings
from knowledge_base.models import Account, Alert, AlertStatus, Conversation, Ticket, TicketKind
from knowledge_base.staff import StaffRow, upsert_staff
from tests.fakes.telegram_api import FakeTelegramApi
from tests.live_server import county_database

GOVBOT = Path(sys.executable).with_name("govbot")
STAFF_BOT = "555000:staff-bot-token"
COUNTY_TZ = ZoneInfo("Asia/Shanghai")  # the default GOVBOT_TIMEZONE the schedulers run with


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
        account = session.scalars(
            select(Account).where(Account.code == "yunxi-renshe-wechat")
        ).one()
        # Overdue since earlier today in the county: a deadline on a previous county day would
        # escalate past the duty officers (one rung per working day), e.g. when run after midnight.
        now = datetime.now(UTC)
        county_midnight = datetime.combine(
            now.astimezone(COUNTY_TZ).date(), time.min, tzinfo=COUNTY_TZ
        )
        overdue_since = max(now - timedelta(hours=3), county_midnight)
        for n in range(20):
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
    with FakeTelegramApi([STAFF_BOT]).running() as api:
        settings_file = tmp_path / "govbot.yaml"
        settings_file.write_text(
            yaml.safe_dump(
                {
                    "notifiers": {"telegram": {"token": STAFF_BOT, "base_url": api.base_url}},
                    # Every rule may fire at once whatever time the test runs.
                    "alerts": {
                        "scan_seconds": 0.5,
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
        schedulers = [
            subprocess.Popen(
                [str(GOVBOT), "scheduler", "--seconds", "8"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for process in schedulers:
            # Generous: start-up (imports, the answer engine) takes longer on a busy machine;
            # the limit only stops a hung process.
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err.decode()
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
