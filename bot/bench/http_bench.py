"""`govbot bench http`: the web chat (and WeChat) endpoints under load from a separate process.

For each stack (SQLite with in-process state; PostgreSQL with Redis) it initialises a fresh
database with the sample county, starts `govbot serve` as its own process, and runs the load
client twice: closed loop for sustained messages per second, open loop at a fixed rate for
latency. The WeChat endpoint's latency is measured on the PostgreSQL stack.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import yaml

GOVBOT = str(Path(sys.executable).with_name("govbot"))
WECHAT_ACCOUNT = "yunxi-fabu-wechat"
WECHAT_TOKEN = "bench-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVBOT_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(GOVBOT_LOG_LEVEL="WARNING", **extra)
    return env


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A uniquely named database on the server, dropped afterwards."""
    name = f"govbot_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _stderr(process: subprocess.Popen[bytes]) -> str:
    return process.stderr.read().decode(errors="replace") if process.stderr else ""


@contextmanager
def _server(env: dict[str, str], workers: int) -> Iterator[str]:
    subprocess.run([GOVBOT, "init"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    process = subprocess.Popen(
        [GOVBOT, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # Each worker loads the encoder and its vectors: minutes on a loaded 2-core machine.
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()  # a live server never closes its stderr: stop it, then read
                process.wait(timeout=30)
                raise RuntimeError(f"govbot serve did not start: {_stderr(process)!r}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _load(
    url: str,
    kind: str,
    seconds: float,
    *,
    rate: float | None = None,
    options: dict[str, str] | None = None,
) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bot.bench.load_client",
        "--url",
        url,
        "--kind",
        kind,
        "--seconds",
        str(seconds),
    ]
    command += ["--rate", str(rate)] if rate else ["--concurrency", "32"]
    for key, value in (options or {}).items():
        command += ["--option", f"{key}={value}"]
    done = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=seconds * 4 + 60
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


UNIQUE = {"unique": "1"}


def _measure(url: str, seconds: float) -> dict[str, Any]:
    _load(url, "web", 2)  # warm up connections and caches
    sustained = _load(url, "web", seconds, options=UNIQUE)
    at_50 = _load(url, "web", seconds, rate=50, options=UNIQUE)
    return {
        "unique_texts": True,
        "messages_per_second": sustained["per_second"],
        "errors": sustained["errors"] + at_50["errors"],
        "closed_loop_p50_ms": sustained["p50_ms"],
        "closed_loop_p99_ms": sustained["p99_ms"],
        "at_50_per_second_p50_ms": at_50["p50_ms"],
        "at_50_per_second_p99_ms": at_50["p99_ms"],
    }


def _wechat_settings(directory: Path) -> Path:
    path = directory / "bench-settings.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "wechat": {
                    "accounts": {
                        WECHAT_ACCOUNT: {
                            "app_id": "wxbench000000000",
                            "app_secret": "bench-secret",
                            "token": WECHAT_TOKEN,
                            "mode": "plain",
                        }
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    return path


def run_http_bench(
    *, seconds: float, postgres_admin_url: str, redis_url: str, workers: int
) -> dict[str, Any]:
    """Run every stack; returns the figures keyed by stack."""
    results: dict[str, Any] = {"seconds_per_run": seconds, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="govbot-bench-") as tmp:
        directory = Path(tmp)
        settings_file = _wechat_settings(directory)
        sqlite_env = _clean_env(
            DATABASE_URL=f"sqlite:///{directory / 'bench.db'}",
            GOVBOT_SETTINGS_FILE=str(settings_file),
        )
        with _server(sqlite_env, 1) as url:
            print(f"SQLite, in-process state, 1 worker: {url}", file=sys.stderr)
            results["sqlite_memory"] = _measure(url, seconds)
        with postgres_database(postgres_admin_url) as database_url:
            env = _clean_env(
                DATABASE_URL=database_url,
                REDIS_URL=redis_url,
                GOVBOT_SETTINGS_FILE=str(settings_file),
            )
            with _server(env, workers) as url:
                print(f"PostgreSQL + Redis, {workers} workers: {url}", file=sys.stderr)
                results["postgres_redis"] = {"workers": workers, **_measure(url, seconds)}
                wechat = _load(
                    url,
                    "wechat",
                    seconds,
                    rate=50,
                    options={"token": WECHAT_TOKEN, "account": WECHAT_ACCOUNT, **UNIQUE},
                )
                results["wechat_passive_reply"] = {
                    "rate_per_second": 50,
                    "p50_ms": wechat["p50_ms"],
                    "p99_ms": wechat["p99_ms"],
                    "errors": wechat["errors"],
                }
    return results
