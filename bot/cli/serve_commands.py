"""`govbot serve` (the HTTP app with every channel) and `govbot chat` (the console)."""

from __future__ import annotations

import asyncio
import os
import socket
from typing import Annotated

import typer
import uvicorn

from bot.app import build_runtime, create_app
from bot.channels.console import ConsoleChannel
from bot.cli.state import STATE, fail
from knowledge_base.accounts import get_account
from knowledge_base.db import Database
from knowledge_base.models import AccountStatus
from knowledge_base.sample_county import is_empty


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
    host, port = host or settings.http_host, port or settings.http_port
    # Problems found before "running" is printed end in one line (main), not a traceback.
    _check_database(context.database)
    listening = _listen(host, port)
    if workers > 1:
        if settings.database_url.startswith("sqlite") or not settings.redis_url:
            fail("多进程运行需要设置 DATABASE_URL（PostgreSQL）和 REDIS_URL")
        # Each worker decides on its share of the cores, unless the operator chose a count.
        os.environ.setdefault(
            "GOVBOT_NLU__ENCODER_WORKERS", str(max(1, (os.cpu_count() or 1) // workers))
        )
        listening.close()  # uvicorn's supervisor binds it again for its workers
        uvicorn.run(
            "bot.app:app_factory",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            # Loading the answer engine holds the GIL for seconds on a busy machine; uvicorn's
            # default 5 s health check would kill each worker before it finished starting.
            timeout_worker_healthcheck=120,
        )
        return
    runtime = build_runtime(settings, database=context.database)
    print(f"govbot 正在运行：http://{host}:{port}/")
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), log_level="warning"))
    server.run(sockets=[listening])
    if not server.started:  # start-up failed; uvicorn has said why
        raise typer.Exit(1)


def _check_database(database: Database) -> None:
    # An uninitialised database (no tables) raises here and main() prints its one line.
    with database.session() as session:
        is_empty(session)


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound now so a busy port is one clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as exc:
        listening.close()
        fail(f"无法监听 {host}:{port}：{exc.strerror or exc}（端口是否已被占用？）")
    listening.listen(2048)
    return listening


def chat(
    account: Annotated[
        str | None, typer.Option(help="账号编号，默认取设置 default_account")
    ] = None,
) -> None:
    """Chat with the bot in this terminal."""
    context = STATE.context
    code = account or context.settings.default_account
    # An unknown account is one line (main prints NotFound), as `govbot ask` says it.
    with context.database.session() as session:
        if get_account(session, code=code).status is AccountStatus.CLOSED:
            fail(f"账号 {code} 已注销")
    runtime = build_runtime(context.settings, database=context.database, clock=context.clock)
    asyncio.run(ConsoleChannel(runtime, account=code).run())
