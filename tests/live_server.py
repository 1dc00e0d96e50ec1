"""Serving the real app with uvicorn on a loopback port, for tests that speak HTTP to it."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from bot.app import AppContext, build_runtime, create_app
from bot.cli.reindex import EncoderUnavailable, reindex
from bot.runtime import Runtime
from bot.settings import Settings
from knowledge_base.accounts import add_account
from knowledge_base.db import Database
from knowledge_base.models import Account
from knowledge_base.sample_county import is_empty, load_county


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` under uvicorn in a thread; yields its base URL and stops it afterwards.

    The socket is bound here and handed to uvicorn, so no other process (a parallel test worker)
    can take the port between choosing it and listening on it."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = int(listening.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()


def county_database(settings: Settings) -> Database:
    """The settings' database, migrated, with the sample county loaded if it was empty and its
    sentence vectors stored, as `govbot init` leaves it.

    A new SQLite file is a copy of the first one this process built from the same county files,
    day and engine settings (`copy_sqlite`): the same rows, without importing them again."""
    path = sqlite_path(settings.database_url)
    key = (
        str(settings.county_dir),
        str(settings.synonyms_file),
        settings.clock().today().isoformat(),
        settings.nlu.model_dump_json(),
    )
    new_file = path is not None and not path.exists()
    if new_file and key in _COUNTY_FILES:
        copy_sqlite(_COUNTY_FILES[key], path)
        return Database(settings.database_url)
    database = Database(settings.database_url)
    database.migrate()
    with database.session() as session:
        if is_empty(session):
            load_county(
                session,
                county_dir=settings.county_dir,
                synonyms_file=settings.synonyms_file,
                actor="test",
                today=settings.clock().today(),
            )
    with contextlib.suppress(EncoderUnavailable):
        reindex(AppContext(settings=settings, database=database, clock=settings.clock()))
    if new_file and path is not None:
        database.dispose()
        _COUNTY_FILES[key] = Path(_TEMPLATES.name) / f"county-{len(_COUNTY_FILES)}.db"
        copy_sqlite(path, _COUNTY_FILES[key])
    return database


# The police's web-chat account, opened by tests that talk to a department's own window: the
# sample county's only web account is the county government's.
POLICE_WEB = {"code": "yunxi-gongan-web", "name": "云溪公安", "department": "gaj"}


# The sample county databases built by this process, by what their rows depend on.
_TEMPLATES = tempfile.TemporaryDirectory(prefix="govbot-test-county-")
_COUNTY_FILES: dict[tuple[str, ...], Path] = {}


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL, or None for another database."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (SQLite's backup, which also reads its WAL)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


@contextmanager
def served_county(
    tmp_path: Path, *, web_accounts: Sequence[dict[str, str]] = (), **overrides: Any
) -> Iterator[tuple[str, Runtime]]:
    """The sample county served over HTTP on SQLite, with `web_accounts` opened (code, name,
    department) before it starts; `overrides` go to Settings."""
    overrides.setdefault("database_url", f"sqlite:///{tmp_path / 'served.db'}")
    overrides.setdefault("spool_dir", tmp_path / "spool")
    settings = Settings(**overrides)
    database = county_database(settings)
    with database.session() as session:
        for account in web_accounts:
            if session.scalar(select(Account.id).where(Account.code == account["code"])) is None:
                add_account(
                    session,
                    platform="web",
                    actor="test",
                    opened_on=settings.clock().today(),
                    **account,
                )
    runtime = build_runtime(settings, database=database)
    with serve(create_app(runtime)) as base_url:
        yield base_url, runtime
    database.dispose()
