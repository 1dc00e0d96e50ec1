"""Shared fixtures: every database test runs on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.cli.state import STATE
from knowledge_base.db import Database
from tests.database import empty_tables, postgres_database, sqlite_url

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole run."""
    with postgres_database() as url:
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL, once per backend."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    database = Database(url)
    empty_tables(database)
    database.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The migrated, empty database as a `Database`."""
    database = Database(database_url)
    yield database
    database.dispose()


@dataclass(frozen=True)
class CliResult:
    """Outcome of one `govbot` invocation."""

    code: int
    out: str
    err: str


@pytest.fixture
def govbot(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[object]:
    """Run `govbot ARGS…` in-process against the test database, as a user would."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GOVBOT_LOG_LEVEL", "WARNING")

    def run(*args: str) -> CliResult:
        STATE.reset()
        monkeypatch.setattr(sys, "argv", ["govbot", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            STATE.reset()
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run


@pytest.fixture
def shared_eval() -> Path:
    """The shared evaluation data (read in place, never copied)."""
    path = SHARED / "eval"
    if not path.is_dir():
        pytest.skip("../shared/eval is not present")
    return path
