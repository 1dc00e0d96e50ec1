"""`govbot spool …`: what waits in the recovery spool and its quarantine, and retrying it."""

from __future__ import annotations

import json

import typer

from bot.cli.state import STATE
from handlers.spool import Spool

app = typer.Typer(help="故障恢复暂存区：查看与重新写入。", no_args_is_help=True)


@app.command("status")
def status_command() -> None:
    """Records waiting for the database, and those set aside with their errors (JSON)."""
    spool = Spool(STATE.context.settings.spool_dir)
    quarantined = spool.quarantined()
    summary = {
        "depth": spool.depth(),
        "quarantined": len(quarantined),
        "errors": [{"at": entry.at, "error": entry.error} for entry in quarantined],
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))


@app.command("requeue")
def requeue_command() -> None:
    """Move every quarantined record back into the spool; a running server replays it."""
    count = Spool(STATE.context.settings.spool_dir).requeue()
    print(f"已将 {count} 条隔离记录放回暂存区，服务运行时会自动重新写入")
