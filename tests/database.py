"""Test databases: a fresh SQLite file, or a throw-away database on the real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import text

from knowledge_base.db import Database
from knowledge_base.models import Base

POSTGRES_ADMIN_URL = os.environ.get(
    "GOVBOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a uniquely named PostgreSQL database for one test session and drop it after."""
    name = f"govbot_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_url(directory: Path) -> str:
    """A SQLite database file inside a test's temporary directory."""
    return f"sqlite:///{directory / 'govbot.db'}"


def empty_tables(database: Database) -> None:
    """Remove all rows so the next test starts from a migrated, empty schema.

    Rows are deleted, children first, from the tables holding any: a test leaves a few hundred
    rows, and `TRUNCATE` of every table took most of a second per test. Every sequence starts
    again where it started, as after `TRUNCATE … RESTART IDENTITY`."""
    names = [t.name for t in Base.metadata.sorted_tables]
    holding = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in names
    )
    with database.engine.begin() as connection:
        full = set(connection.scalars(text(holding)))
        for name in reversed(names):
            if name in full:
                connection.execute(text(f"DELETE FROM {name}"))
        connection.execute(
            text(
                "SELECT setval(c.oid, s.seqstart, false) FROM pg_class c"
                " JOIN pg_sequence s ON s.seqrelid = c.oid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        )
