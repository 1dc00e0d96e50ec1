"""`govbot serve` (the HTTP app with every channel) and `govbot chat` (the console)."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer
import uvicorn

from bot.app import build_runtime, create_app
from bot.channels.console import ConsoleChannel
from bot.cli.state import STATE, fail


def register(app: typer.Typer) -> None:
    """Add `serve` and `chat` to the CLI."""
    app.command("serve")(serve)
    app.command("chat")(chat)


def serve(
    host: Annotated[str | None, typer.Option(help="监听地址，默认取设置 http_host")] = None,
    port: Annotated[int | None, typer.Option(help="端口，默认取设置 http_port")] = None,
    workers: Annotated[int, typer.Option(help="进程数（多进程需 PostgreSQL 与 Redis）")] = 1,
) -> None:
    """Serve the web chat, WeChat and Telegram webhooks (uvicorn)."""
    context = STATE.context
    settings = context.settings
    if workers > 1:
        if settings.database_url.startswith("sqlite") or not settings.redis_url:
            fail("多进程运行需要设置 DATABASE_URL（PostgreSQL）和 REDIS_URL")
        # Each worker decides on its share of the cores, unless the operator chose a count.
        os.environ.setdefault(
            "GOVBOT_NLU__ENCODER_WORKERS", str(max(1, (os.cpu_count() or 1) // workers))
        )
        uvicorn.run(
            "bot.asgi:app_factory",
            factory=True,
            host=host or settings.http_host,
            port=port or settings.http_port,
            workers=workers,
            log_level="warning",
        )
        return
    runtime = build_runtime(settings, database=context.database)
    print(f"govbot 正在运行：http://{host or settings.http_host}:{port or settings.http_port}/")
    uvicorn.run(
        create_app(runtime),
        host=host or settings.http_host,
        port=port or settings.http_port,
        log_level="warning",
    )


def chat(
    account: Annotated[
        str | None, typer.Option(help="账号编号，默认取设置 default_account")
    ] = None,
) -> None:
    """Chat with the bot in this terminal."""
    context = STATE.context
    runtime = build_runtime(context.settings, database=context.database, clock=context.clock)
    code = account or context.settings.default_account
    asyncio.run(ConsoleChannel(runtime, account=code).run())
