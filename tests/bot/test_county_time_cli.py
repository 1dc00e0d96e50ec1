"""Commands run on a UTC server at 23:30 UTC, when it is already the next day in the county.

The suite runs with TZ=UTC (tests/conftest.py); the clock says 2026-11-29 23:30 UTC, which is
Monday 2026-11-30 07:30 in Asia/Shanghai. Every date a rule uses and every time a person reads
must be the county's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.cli.state import STATE
from knowledge_base.db import Database
from knowledge_base.models import (
    Account,
    Conversation,
    Direction,
    EntryVersion,
    Filing,
    Message,
    Ticket,
    TicketKind,
)
from tests.conftest import CliResult

Govbot = Callable[..., CliResult]
LATE_EVENING_UTC = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # 2026-11-30 07:30 in the county


@pytest.fixture
def at_2330_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(STATE, "now", lambda: LATE_EVENING_UTC)
    yield


@pytest.fixture
def county(govbot: Govbot, at_2330_utc: None, monkeypatch: pytest.MonkeyPatch) -> Govbot:
    # Lexical mode: these tests are about dates, not about the encoder.
    monkeypatch.setenv("GOVBOT_NLU__ENCODER", "none")
    monkeypatch.setenv("COLUMNS", "240")  # whole table rows
    assert govbot("init", "-u", "admin").code == 0
    return govbot


def test_ask_sees_an_entry_valid_from_the_county_today(county: Govbot, tmp_path: Path) -> None:
    entry = {
        "id": "GA-9001",
        "department": "云溪县公安局",
        "question": "新版居住证怎么申领",
        "answer": "自2026年11月30日起，可在浙里办申领新版居住证。",
        "valid_from": "2026-11-30",
    }
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    assert county("kb", "import", str(path), "-u", "admin").code == 0
    answered = county("ask", "新版居住证怎么申领", "--json")
    assert answered.code == 0, answered.err
    decision = json.loads(answered.out.strip().splitlines()[-1])["decision"]
    assert decision["kind"] == "answer" and decision["item"]["code"] == "GA-9001"


def test_a_filing_recorded_at_2330_utc_carries_the_county_date(
    county: Govbot, db: Database
) -> None:
    result = county("accounts", "suspend", "yunxi-jiaotong-wechat", "--reason", "整改", "-u", "ed")
    assert result.code == 0, result.err
    with db.session() as session:
        filing = session.scalars(select(Filing).order_by(Filing.id.desc()).limit(1)).one()
    assert filing.occurred_on == date(2026, 11, 30)


def test_accounts_list_shows_the_county_date_of_the_last_post(county: Govbot) -> None:
    posted = county(
        "accounts", "post", "yunxi-jiaotong-wechat", "--at", "2026-11-30T07:00", "-u", "ed"
    )
    assert posted.code == 0, posted.err
    listed = county("accounts", "list")
    row = next((ln for ln in listed.out.splitlines() if "yunxi-jiaotong" in ln), listed.out)
    assert "2026-11-30" in row and "2026-11-29" not in row


def test_ticket_note_and_message_log_use_the_same_county_time(county: Govbot, db: Database) -> None:
    with db.session() as session:
        account = session.scalars(
            select(Account).where(Account.code == "yunxi-fabu-telegram")
        ).one()
        conversation = Conversation(channel="telegram", account_id=account.id, citizen_id="4242")
        session.add(conversation)
        session.flush()
        session.add(
            Message(
                conversation_id=conversation.id,
                direction=Direction.IN,
                text="我要转人工",
                created_at=LATE_EVENING_UTC,
            )
        )
        ticket = Ticket(
            conversation_id=conversation.id,
            account_id=account.id,
            department_id=account.department_id,
            channel="telegram",
            kind=TicketKind.HUMAN_REQUEST,
            question="我要转人工",
            created_at=LATE_EVENING_UTC,
        )
        session.add(ticket)
        session.flush()
        ticket_id = ticket.id
    # Telegram is not configured here, so the reply cannot be delivered: the ticket notes it.
    replied = county("tickets", "reply", str(ticket_id), "您好", "-u", "李值班")
    assert replied.code == 1 and replied.err.startswith("错误：")
    shown = county("tickets", "show", str(ticket_id))
    assert "备注：2026-11-30 07:30 答复未送达" in shown.out
    assert "[11-30 07:30] 群众：我要转人工" in shown.out
    assert "（未送达：渠道 telegram 未启用，无法送达）" in shown.out


def test_kb_show_prints_version_times_in_county_time(county: Govbot, db: Database) -> None:
    with db.session() as session:
        version = session.scalars(select(EntryVersion).order_by(EntryVersion.id).limit(1)).one()
        code = version.entry.code
        # Versions are immutable through the ORM; the test only sets when this one was published.
        session.execute(
            update(EntryVersion)
            .where(EntryVersion.id == version.id)
            .values(published_at=LATE_EVENING_UTC)
        )
    shown = county("kb", "show", code)
    assert "2026-11-30 07:30" in shown.out
