"""A database outage loses nothing: accepted messages are answered, spooled, and written later;
a record the database refuses is quarantined without blocking the others."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from bot.runtime import Runtime
from bot.scheduling import build_alert_service
from handlers.spool import Quarantined, SpooledTurn
from handlers.spool_replay import alert_supervisors, replay
from handlers.turn import Turn
from knowledge_base.models import Alert, Direction, Message, Staff, StaffRole, Ticket
from knowledge_base.storable import unreachable

Ask = Callable[..., Awaitable[Turn]]


def fail_on_quarantine(entry: Quarantined) -> None:
    raise AssertionError(f"quarantined: {entry.error}")


def spooled(text: str, *, account_id: int, citizen: str, ticket: str | None = None) -> str:
    turn = SpooledTurn(
        channel="web",
        account_id=account_id,
        department_id=1,
        department_code="zfb",
        citizen_id=citizen,
        external_id=None,
        kind="text",
        masked_text=text,
        received_at=datetime(2026, 11, 30, 2, 0, tzinfo=UTC).isoformat(),
        reply_text="您的留言已收到",
        decision="intent",
        ticket_kind=ticket,
    )
    return json.dumps(asdict(turn), ensure_ascii=False)


async def test_messages_during_a_database_outage_are_answered_and_written_later(
    ask: Ask, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*_: object, **__: object) -> None:
        raise OperationalError("connect", {}, ConnectionRefusedError("database is down"))

    # The database goes away: every transaction fails.
    monkeypatch.setattr(runtime.database, "connection", unreachable)
    monkeypatch.setattr(runtime.database, "session", unreachable)
    answered = await ask("社保卡丢了怎么补办", citizen="c1", external_id="wx-1")
    handed_over = await ask("转人工", citizen="c2")
    assert answered.reply is not None and "挂失" in answered.reply.text
    assert handed_over.reply is not None and handed_over.reply.handover
    assert answered.spooled and runtime.spool.path.is_file()

    monkeypatch.undo()  # the database is back
    assert replay(runtime.spool, runtime.tickets, fail_on_quarantine) == 2
    assert not runtime.spool.path.exists()
    with runtime.database.session() as session:
        incoming = list(
            session.scalars(select(Message.text).where(Message.direction == Direction.IN))
        )
        replies = list(
            session.scalars(select(Message.text).where(Message.direction == Direction.OUT))
        )
        [ticket] = session.scalars(select(Ticket)).all()
    assert incoming == ["社保卡丢了怎么补办", "转人工"]
    assert answered.reply.text in replies
    assert ticket.kind.value == "human_request" and ticket.first_response_due is not None
    assert (
        replay(runtime.spool, runtime.tickets, fail_on_quarantine) == 0
    )  # nothing is written twice


def web_account_id(runtime: Runtime) -> int:
    account = runtime.knowledge.account("yunxi-fabu-web")
    assert account is not None
    return account.id


async def test_a_nul_character_is_removed_not_spooled(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("社保卡\u0000丢了怎么补办\ud800", citizen="c\u00001")
    assert not turn.spooled and not runtime.spool.path.exists()
    with runtime.database.session() as session:
        [text] = session.scalars(select(Message.text).where(Message.direction == Direction.IN))
    assert text == "社保卡丢了怎么补办\ufffd"


async def test_a_refused_message_is_not_taken_for_an_outage(
    ask: Ask, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses(*_: object, **__: object) -> None:
        raise DataError("INSERT", {}, psycopg.errors.CharacterNotInRepertoire("bad"))

    monkeypatch.setattr(runtime.database, "connection", refuses)
    turn = await ask("社保卡丢了怎么补办")
    assert not turn.spooled and turn.note == "error:store_incoming"
    assert not runtime.spool.path.exists()


async def test_replay_sets_a_refused_record_aside_and_writes_the_rest(runtime: Runtime) -> None:
    web = web_account_id(runtime)
    alerted: list[Quarantined] = []
    runtime.spool.directory.mkdir(parents=True)
    runtime.spool.path.write_text(
        "\n".join(
            [
                spooled("第一条", account_id=web, citizen="a"),
                spooled("账号不存在", account_id=987654, citizen="b"),
                "{not json",
                spooled("我要投诉", account_id=web, citizen="c", ticket="complaint"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert runtime.spool.depth() == 4

    assert replay(runtime.spool, runtime.tickets, alerted.append) == 2
    assert not runtime.spool.path.exists() and runtime.spool.depth() == 0
    quarantined = runtime.spool.quarantined()
    assert [q.error.split(":")[0] for q in quarantined] == ["IntegrityError", "JSONDecodeError"]
    assert alerted == quarantined
    with runtime.database.session() as session:
        incoming = list(
            session.scalars(select(Message.text).where(Message.direction == Direction.IN))
        )
        [ticket] = session.scalars(select(Ticket)).all()
    assert incoming == ["第一条", "我要投诉"] and ticket.kind.value == "complaint"

    # After a fix, the set-aside records go back to the spool and are tried again.
    assert runtime.spool.requeue() == 2
    assert runtime.spool.quarantined() == [] and runtime.spool.depth() == 2


def test_a_quarantined_record_alerts_the_supervising_office(runtime: Runtime) -> None:
    entry = runtime.spool.quarantine(
        spooled("x", account_id=1, citizen="a"), IntegrityError("INSERT", {}, Exception("fk"))
    )
    alert_supervisors(build_alert_service(runtime))(entry)
    with runtime.database.session() as session:
        rows = session.scalars(select(Alert).where(Alert.rule == "spool_quarantine")).all()
        supervisors = set(
            session.scalars(select(Staff.id).where(Staff.role == StaffRole.SUPERVISOR))
        )
    assert rows and {row.staff_id for row in rows} == supervisors
    assert "IntegrityError" in rows[0].body and "隔离" in rows[0].subject


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OperationalError("connect", {}, ConnectionRefusedError("refused")), True),
        (OperationalError("SELECT", {}, psycopg.errors.AdminShutdown("shutdown")), True),
        (OperationalError("SELECT", {}, psycopg.errors.SerializationFailure("retry")), True),
        (DataError("INSERT", {}, psycopg.errors.CharacterNotInRepertoire("bad")), False),
        (DataError("INSERT", {}, psycopg.DataError("NUL")), False),
        (IntegrityError("INSERT", {}, psycopg.errors.ForeignKeyViolation("fk")), False),
        (ValueError("not a database error"), False),
    ],
)
def test_only_connection_class_errors_mean_unreachable(error: Exception, expected: bool) -> None:
    assert unreachable(error) is expected
