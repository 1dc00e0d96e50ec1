"""转办: staff move a ticket to another department; audited, the citizen told, a new example."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.channels.web import WebChatChannel
from bot.runtime import Runtime
from handlers.deliveries import Deliveries
from handlers.tickets import service
from handlers.turn import Turn
from knowledge_base.clock import CountyClock
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import AuditRecord, Delivery, Message, Ticket, TicketStatus
from knowledge_base.routing_examples import all_examples
from tests.conftest import CliResult

Ask = Callable[..., Awaitable[Turn]]
ENVIRONMENT = "市生态环境局云溪分局"
GENERAL_OFFICE = "云溪县人民政府办公室"


def at(runtime: Runtime, moment: datetime) -> Deliveries:
    """The delivery queue with the county clock stopped at `moment`."""
    return Deliveries(runtime.database, CountyClock(runtime.settings.tz, lambda: moment))


async def test_a_transfer_is_audited_told_and_learned(ask: Ask, runtime: Runtime) -> None:
    turn = await ask("我要投诉，楼下饭店油烟太大，熏得家里没法开窗")
    assert turn.ticket_id is not None
    ticket_id = turn.ticket_id
    service.acknowledge(runtime.database, ticket_id=ticket_id, staff="王敏", clock=runtime.clock)
    with runtime.database.session() as session:
        before = session.get(Ticket, ticket_id)
        assert before is not None
        promised = (before.first_response_due, before.resolution_due)
        window = before.ack_due - before.created_at if before.ack_due else None
    now = datetime.now(UTC) + timedelta(hours=1)

    outcome = await service.transfer(
        runtime.database,
        {"web": WebChatChannel(runtime, default_account=runtime.settings.default_account)},
        ticket_id=ticket_id,
        to=ENVIRONMENT,
        reason="餐饮油烟由生态环境分局办理",
        staff="王敏",
        deliveries=at(runtime, now),
    )

    assert outcome.told and outcome.department == ENVIRONMENT
    with runtime.database.session() as session:
        moved = session.get(Ticket, ticket_id)
        assert moved is not None
        assert moved.department.name == ENVIRONMENT
        assert moved.status is TicketStatus.OPEN and moved.acknowledged_at is None
        # The department's own clock restarts; the citizen's promise does not move.
        assert (moved.first_response_due, moved.resolution_due) == promised
        if window is not None:
            assert moved.ack_due == now + window
        audit = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "ticket.transfer")
        ).one()
        assert audit.actor == "王敏" and audit.target == str(ticket_id)
        assert audit.detail["to"] == ENVIRONMENT and "油烟" in audit.detail["reason"]
        notice = session.scalars(select(Message).where(Message.author == "staff:王敏")).one()
        assert ENVIRONMENT in notice.text and notice.delivery is Delivery.SENT
        examples = all_examples(session)
    assert [(e.department, e.source) for e in examples] == [(ENVIRONMENT, "transfer")]

    with pytest.raises(KbError, match="已由"):
        await service.transfer(
            runtime.database,
            {},
            ticket_id=ticket_id,
            to=ENVIRONMENT,
            reason="重复",
            staff="王敏",
            deliveries=at(runtime, now),
        )


async def test_staff_transfer_from_the_command_line(
    ask: Ask, runtime: Runtime, govbot: Callable[..., CliResult]
) -> None:
    turn = await ask("转人工")
    assert turn.ticket_id is not None
    # The command runs its own event loop, as from a shell.
    result = await asyncio.to_thread(
        govbot,
        "tickets",
        "transfer",
        str(turn.ticket_id),
        "--to",
        ENVIRONMENT,
        "--reason",
        "职责调整",
        "-u",
        "王敏",
    )
    assert result.code == 0, result.err
    assert ENVIRONMENT in result.out
    with runtime.database.session() as session:
        moved = session.get(Ticket, turn.ticket_id)
        assert moved is not None and moved.department.name == ENVIRONMENT
        # "转人工" says nothing about the matter: not an example to learn routing from.
        assert all_examples(session) == []
    refused = await asyncio.to_thread(
        govbot, "tickets", "transfer", str(turn.ticket_id), "--to", "不存在的局", "--reason", "x"
    )
    assert refused.code == 1 and "不存在" in refused.err


async def test_a_ticket_number_beyond_any_row_id_is_simply_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFound):
        service.acknowledge(runtime.database, ticket_id=10**25, staff="王敏", clock=runtime.clock)
    with pytest.raises(NotFound):
        await service.transfer(
            runtime.database,
            {},
            ticket_id=10**25,
            to=ENVIRONMENT,
            reason="x",
            staff="王敏",
            deliveries=at(runtime, datetime.now(UTC)),
        )


async def test_a_closed_ticket_teaches_the_department_staff_chose_once_and_masked(
    ask: Ask, runtime: Runtime
) -> None:
    turn = await ask("我要投诉，楼下饭店油烟太大，我的电话13812345678", citizen="c-oil")
    assert turn.ticket_id is not None
    web = {"web": WebChatChannel(runtime, default_account=runtime.settings.default_account)}
    for to in ("云溪县综合行政执法局", ENVIRONMENT):  # moved twice: the second is the answer
        await service.transfer(
            runtime.database,
            web,
            ticket_id=turn.ticket_id,
            to=to,
            reason="职责",
            staff="王敏",
            deliveries=runtime.deliveries,
        )
    service.close(runtime.database, ticket_id=turn.ticket_id, staff="王敏", clock=runtime.clock)

    # Closed by the general office where the main account's message landed: nobody chose a
    # department, so the classifier is not taught that 县政府办 handles street lights.
    plain = await ask("我要投诉，小区门口的路灯坏了一个月", citizen="c-lamp")
    assert plain.ticket_id is not None
    with runtime.database.session() as session:
        opened_in = session.get(Ticket, plain.ticket_id)
        assert opened_in is not None and opened_in.department.name == GENERAL_OFFICE
    service.close(runtime.database, ticket_id=plain.ticket_id, staff="王敏", clock=runtime.clock)

    # Sent back to the general office by staff: that choice is the label, closing keeps it.
    back = await ask("我要投诉，县政府网站上的政策文件一直打不开", citizen="c-budget")
    assert back.ticket_id is not None
    for to in (ENVIRONMENT, GENERAL_OFFICE):
        await service.transfer(
            runtime.database,
            web,
            ticket_id=back.ticket_id,
            to=to,
            reason="职责",
            staff="王敏",
            deliveries=runtime.deliveries,
        )
    service.close(runtime.database, ticket_id=back.ticket_id, staff="王敏", clock=runtime.clock)

    human = await ask("转人工", citizen="c-human")
    assert human.ticket_id is not None
    service.close(runtime.database, ticket_id=human.ticket_id, staff="王敏", clock=runtime.clock)

    with runtime.database.session() as session:
        examples = [(e.text, e.department, e.source) for e in all_examples(session)]
    assert examples == [
        ("我要投诉，楼下饭店油烟太大，我的电话138****5678", ENVIRONMENT, "transfer"),
        ("我要投诉，县政府网站上的政策文件一直打不开", GENERAL_OFFICE, "transfer"),
    ]
