"""`govbot tickets …`: the queue of messages waiting for a human, and answering them."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.app import build_runtime
from bot.channels.registry import enabled_channels
from bot.cli.state import STATE, default_user, fail
from bot.console.ticket_queue import CHANNEL_NAMES, STATUS_NAMES, author_name
from handlers.tickets import service
from knowledge_base.conversations import messages_after
from knowledge_base.errors import NotFound
from knowledge_base.models import Delivery, Direction, Message, TicketStatus
from knowledge_base.tickets import TICKET_KIND_NAMES, get_ticket, tickets_in

app = typer.Typer(help="人工工单：查看、认领、答复、关闭。", no_args_is_help=True)
console = Console()
Staff = Annotated[str, typer.Option("--user", "-u", help="答复人", default_factory=default_user)]


@app.command("list")
def list_command(
    status: Annotated[TicketStatus | None, typer.Option(help="状态")] = None,
    department: Annotated[str | None, typer.Option(help="部门编号")] = None,
) -> None:
    """List tickets with their deadlines, oldest first."""
    context = STATE.context
    clock = context.clock
    with context.database.session() as session:
        statuses = [status] if status else [s for s in TicketStatus if s is not TicketStatus.CLOSED]
        table = Table("工单", "状态", "部门", "账号", "渠道", "类型", "答复期限", "留言")
        for t in tickets_in(session, statuses=statuses):
            if department and t.department.code != department:
                continue
            due = clock.show(t.first_response_due, "%m-%d %H:%M") if t.first_response_due else "-"
            table.add_row(
                str(t.id),
                STATUS_NAMES[t.status.value],
                t.department.name,
                t.account.name,
                CHANNEL_NAMES.get(t.channel, t.channel),
                TICKET_KIND_NAMES.get(t.kind.value, t.kind.value),
                due,
                t.question[:40],
            )
    console.print(table)


@app.command("show")
def show_command(ticket_id: int) -> None:
    """Show a ticket's conversation."""
    context = STATE.context
    clock = context.clock
    with context.database.session() as session:
        try:
            ticket = get_ticket(session, ticket_id=ticket_id)
        except NotFound:
            fail(f"没有编号为 {ticket_id} 的工单")
        status = STATUS_NAMES[ticket.status.value]
        channel = CHANNEL_NAMES.get(ticket.channel, ticket.channel)
        print(f"工单 #{ticket.id}  {status}  {ticket.department.name}  {channel}")
        if ticket.note:
            print(f"备注：{ticket.note}")
        for m in messages_after(session, conversation_id=ticket.conversation_id, after_id=0):
            when = clock.show(m.created_at, "%m-%d %H:%M")
            print(f"[{when}] {author_name(m)}：{m.text}{_delivery(m)}")


def _delivery(message: Message) -> str:
    """How a reply's delivery stands, when it is not simply delivered."""
    if message.delivery is Delivery.FAILED:
        return f"（未送达：{message.delivery_error}）"
    if message.delivery is Delivery.PENDING and message.direction is Direction.OUT:
        retry = f"，上次失败：{message.delivery_error}" if message.delivery_error else ""
        return f"（正在送达{retry}）"
    return ""


@app.command("ack")
def ack_command(ticket_id: int, user: Staff) -> None:
    """Take a ticket."""
    context = STATE.context
    service.acknowledge(context.database, ticket_id=ticket_id, staff=user, clock=context.clock)
    print(f"已认领工单 #{ticket_id}")


@app.command("reply")
def reply_command(ticket_id: int, text: str, user: Staff) -> None:
    """Answer the citizen; the answer is delivered on the channel they used."""
    context = STATE.context
    runtime = build_runtime(context.settings, database=context.database, clock=context.clock)

    async def run() -> service.ReplyOutcome:
        await runtime.knowledge.refresh_async()
        channels = {c.name: c for c in enabled_channels(runtime)}
        return await service.reply(
            context.database,
            channels,
            ticket_id=ticket_id,
            text=text,
            staff=user,
            deliveries=runtime.deliveries,
        )

    outcome = asyncio.run(run())
    if not outcome.delivered:
        fail(f"工单 #{ticket_id} 的答复未送达：{outcome.detail}（答复已记录在工单中）")
    print(f"工单 #{ticket_id}：{outcome.detail}，用时 {outcome.response_minutes:.0f} 分钟")


@app.command("transfer")
def transfer_command(
    ticket_id: int,
    to: Annotated[str, typer.Option("--to", help="接办部门（名称或编号）")],
    reason: Annotated[str, typer.Option("--reason", help="转办理由")],
    user: Staff,
) -> None:
    """Transfer a ticket to another department (转办); the citizen is told which one."""
    context = STATE.context
    runtime = build_runtime(context.settings, database=context.database, clock=context.clock)

    async def run() -> service.TransferOutcome:
        channels = {c.name: c for c in enabled_channels(runtime)}
        return await service.transfer(
            context.database,
            channels,
            ticket_id=ticket_id,
            to=to,
            reason=reason,
            staff=user,
            deliveries=runtime.deliveries,
        )

    outcome = asyncio.run(run())
    print(f"工单 #{ticket_id} 已转交{outcome.department}：{outcome.detail}")


@app.command("close")
def close_command(ticket_id: int, user: Staff) -> None:
    """Close a ticket; the bot answers the citizen again."""
    context = STATE.context
    service.close(context.database, ticket_id=ticket_id, staff=user, clock=context.clock)
    print(f"已关闭工单 #{ticket_id}")
