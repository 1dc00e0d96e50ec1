"""`govbot alerts …` and `govbot scheduler`: run the alert rules and the notifiers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.app import build_runtime
from bot.channels.registry import enabled_channels
from bot.cli.state import STATE
from bot.scheduling import alerts_running, build_alert_service
from handlers.alerts.outbox import STATUS_NAMES, notifier_name
from handlers.alerts.planning import RULE_NAMES
from knowledge_base.alerts import newest_alerts
from knowledge_base.models import AlertStatus

app = typer.Typer(help="值班提醒：扫描、发送、查看。", no_args_is_help=True)
console = Console()


@app.command("scan")
def scan_command() -> None:
    """Run every alert rule once; prints a JSON summary."""
    context = STATE.context
    service = build_alert_service(
        build_runtime(context.settings, database=context.database, clock=context.clock)
    )
    result = service.scan_now()
    print(
        json.dumps(
            {"planned": result.planned, "new": result.stored, "ms": round(result.seconds * 1000, 1)}
        )
    )


@app.command("dispatch")
def dispatch_command() -> None:
    """Send the alerts that are due now."""
    context = STATE.context
    service = build_alert_service(
        build_runtime(context.settings, database=context.database, clock=context.clock)
    )

    async def run() -> int:
        try:
            return await service.dispatch_once()
        finally:
            await service.close()

    print(f"已发送 {asyncio.run(run())} 条提醒")


@app.command("list")
def list_command(
    status: Annotated[AlertStatus | None, typer.Option(help="pending、sent 或 failed")] = None,
    limit: int = 50,
) -> None:
    """The newest alerts in the outbox."""
    context = STATE.context
    clock = context.clock
    with context.database.session() as session:
        table = Table("编号", "规则", "接收人", "方式", "状态", "次数", "时间", "标题")
        for a in newest_alerts(session, limit=limit, status=status):
            table.add_row(
                str(a.id),
                RULE_NAMES.get(a.rule, a.rule),
                a.staff.name,
                notifier_name(a.notifier),
                STATUS_NAMES[a.status],
                str(a.attempts),
                clock.show(a.created_at, "%m-%d %H:%M"),
                a.subject,
            )
    console.print(table)


def scheduler(
    seconds: Annotated[float | None, typer.Option(help="运行多少秒后退出（默认一直运行）")] = None,
) -> None:
    """Run alert scans, dispatch and Telegram staff replies (any number of these may run)."""
    context = STATE.context
    runtime = build_runtime(context.settings, database=context.database, clock=context.clock)

    async def run() -> None:
        # SIGTERM (systemd, docker stop) and Ctrl-C stop it cleanly: the alerts running now finish.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, stop.set)
        await runtime.knowledge.refresh_async()
        channels = {c.name: c for c in enabled_channels(runtime)}
        async with alerts_running(runtime, channels):
            print("值班提醒服务已启动", flush=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=seconds)
        print("值班提醒服务已停止", flush=True)

    asyncio.run(run())
