"""`govbot bench http` and `govbot bench alerts`: service-level benchmarks (JSON last line)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.bench.alerts_bench import run_alerts_bench
from bot.bench.chaos_bench import run_chaos_bench
from bot.bench.http_bench import run_http_bench

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def http(
    seconds: Annotated[float, typer.Option(help="每轮压测秒数")] = 10,
    postgres: Annotated[str, typer.Option(help="用于创建临时库的 PostgreSQL 管理连接")] = ADMIN_URL,
    redis: Annotated[str, typer.Option(help="Redis 地址")] = "redis://127.0.0.1:6379/2",
    workers: Annotated[int, typer.Option(help="PostgreSQL+Redis 时的 uvicorn 进程数")] = 2,
) -> None:
    """Web chat throughput and latency (SQLite and PostgreSQL+Redis) and WeChat reply latency."""
    result = run_http_bench(
        seconds=seconds, postgres_admin_url=postgres, redis_url=redis, workers=workers
    )
    print(json.dumps(result, ensure_ascii=False))


def alerts(
    messages: Annotated[int, typer.Option(help="历史消息条数")] = 1_000_000,
    tickets: Annotated[int, typer.Option(help="待办工单数")] = 50_000,
    scans: Annotated[int, typer.Option(help="稳态扫描次数")] = 5,
    postgres: Annotated[str, typer.Option(help="用于创建临时库的 PostgreSQL 管理连接")] = ADMIN_URL,
) -> None:
    """Time one full alert scan over a large PostgreSQL database."""
    result = run_alerts_bench(admin_url=postgres, messages=messages, tickets=tickets, scans=scans)
    print(json.dumps(result, ensure_ascii=False))


def chaos(
    messages: Annotated[int, typer.Option(help="市民消息条数")] = 10_000,
    senders: Annotated[int, typer.Option(help="发送人数")] = 2_000,
    hostile: Annotated[float, typer.Option(help="恶意请求比例")] = 0.01,
    workers: Annotated[int, typer.Option(help="govbot serve 进程数")] = 2,
    schedulers: Annotated[int, typer.Option(help="govbot scheduler 进程数")] = 2,
) -> None:
    """Messages over every channel while its own Redis and PostgreSQL restart: nothing lost."""
    result = run_chaos_bench(
        messages=messages,
        senders=senders,
        hostile=hostile,
        workers=workers,
        schedulers=schedulers,
    )
    print(json.dumps(result, ensure_ascii=False))


def register(bench_app: typer.Typer) -> None:
    """Add the service benchmarks to the `bench` group."""
    bench_app.command("http")(http)
    bench_app.command("alerts")(alerts)
    bench_app.command("chaos")(chaos)
