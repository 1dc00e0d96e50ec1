"""Shared fixtures: every database test runs on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.state import STATE
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.messages import IncomingMessage, MessageKind
from handlers.turn import Turn
from knowledge_base.db import Database
from tests.county_runtime import county_runtime
from tests.database import empty_tables, postgres_database, sqlite_url
from tests.live_server import copy_sqlite, county_database, sqlite_path

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEST_VAR = Path(__file__).resolve().parents[1] / "var" / "test"

# Servers run in UTC: the suite does too, so anything reading the process time zone instead of
# the county's clock fails here as it would in production.
os.environ["TZ"] = "UTC"
time.tzset()
# Tables the CLI prints (rich) are as wide as the terminal; tests get one fixed width, the same
# whether pytest runs in a terminal, a pipe or an xdist worker.
os.environ["COLUMNS"] = "200"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the real services it needs, from the fixtures it uses, so that
    `-m "not rasa"` and the like select by what a machine has, and no test forgets its mark."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if "postgres_url" in fixtures or params.get("database_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if "rasa_venv" in fixtures:
            item.add_marker(pytest.mark.rasa)
            # Under `pytest -n N --dist loadgroup` one worker runs every Rasa test, so one Rasa
            # server is trained (the model cache is shared) and served.
            item.add_marker(pytest.mark.xdist_group("rasa"))


@pytest.fixture(scope="session", autouse=True)
def county_vectors() -> None:
    """Put the sample county's sentence vectors in the process-wide vector memory.

    Every runtime built afterwards finds them there, as a restarted server finds them in its
    database; without this the first server a test starts would spend its start-up encoding.
    Encoding them takes most of a minute, so the county's database (and its vector cache, keyed
    by model and text like every vector cache) is kept in `var/test/`, named by a digest of the
    county's files: the next session, and every other xdist worker, loads instead of encoding.
    The lock makes parallel workers wait for the one that builds it.
    """
    settings = Settings()
    digest = hashlib.sha256()
    for path in sorted(p for p in settings.county_dir.rglob("*") if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(settings.synonyms_file.read_bytes())
    TEST_VAR.mkdir(parents=True, exist_ok=True)
    database = TEST_VAR / f"county-{digest.hexdigest()[:16]}.db"
    with database.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cached = settings.model_copy(update={"database_url": f"sqlite:///{database}"})
        county_database(cached).dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole run."""
    with postgres_database() as url:
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty SQLite file; each test gets a copy instead of migrating again."""
    url = sqlite_url(tmp_path_factory.mktemp("migrated"))
    database = Database(url)
    database.migrate()
    database.dispose()
    path = sqlite_path(url)
    assert path is not None
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL, once per backend."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        copy_sqlite(
            request.getfixturevalue("migrated_sqlite"), Path(url.removeprefix("sqlite:///"))
        )
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


def run_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> CliResult:
    """`govbot ARGS…` in this process (the environment as it is now): its exit code and output."""
    from bot.cli.main import main  # the whole CLI, only for tests that run commands

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


@pytest.fixture
def govbot(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[object]:
    """Run `govbot ARGS…` in-process against the test database, as a user would."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GOVBOT_LOG_LEVEL", "WARNING")

    def run(*args: str) -> CliResult:
        return run_in_process(monkeypatch, capsys, *args)

    yield run


@pytest.fixture
def shared_eval() -> Path:
    """The shared evaluation data (read in place, never copied)."""
    path = SHARED / "eval"
    if not path.is_dir():
        pytest.skip("../shared/eval is not present")
    return path


@pytest.fixture
async def runtime(database_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The whole bot on the sample county: SQLite + in-process state, or PostgreSQL + Redis."""
    async with county_runtime(database_url, tmp_path) as bot:
        yield bot


@pytest.fixture
def ask(runtime: Runtime) -> Callable[..., Awaitable[Turn]]:
    """Push one citizen message through the whole bot: `await ask("text", citizen="c1")`."""

    async def send(
        text: str,
        *,
        citizen: str = "citizen-1",
        account: str = "yunxi-fabu-web",
        channel: str = "web",
        external_id: str | None = None,
        kind: MessageKind = "text",
    ) -> Turn:
        return await runtime.handle(
            IncomingMessage(
                channel=channel,
                account=account,
                citizen_id=citizen,
                text=text,
                external_id=external_id,
                kind=kind,
            )
        )

    return send
