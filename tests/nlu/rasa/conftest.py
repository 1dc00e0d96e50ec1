"""Fixtures for the Rasa tests: the Rasa venv (built once, cached outside the repository), the
sample county's snapshot, and a trained, running Rasa server for the whole session.

Without Python 3.10 the tests that need Rasa are skipped with a loud reason; the model is cached
by the hash of the exported project (~/.cache/govbot/rasa-models), so only the first run trains.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from knowledge_base.clock import CountyClock
from knowledge_base.snapshot import load_snapshot
from nlu.rasa.export import SMALL, export_project
from nlu.rasa.server import RasaEnvironmentMissing, RasaServer, rasa_env, serve, train
from nlu.snapshot import KbSnapshot
from tests.live_server import county_database


@pytest.fixture(scope="session")
def rasa_venv() -> Path:
    """The Rasa 3.6 virtualenv; building it the first time takes a few minutes."""
    try:
        return rasa_env()
    except RasaEnvironmentMissing as exc:
        message = f"RASA TESTS SKIPPED: Python 3.10 is not installed ({exc})"
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)


@pytest.fixture(scope="session")
def county_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings on a temporary SQLite database holding the sample county."""
    path = tmp_path_factory.mktemp("rasa-county") / "county.db"
    settings = Settings(database_url=f"sqlite:///{path}")
    county_database(settings).dispose()
    return settings


@pytest.fixture(scope="session")
def county_snapshot(county_settings: Settings) -> KbSnapshot:
    """The sample county's published knowledge base, as the bot loads it."""
    database = county_database(county_settings)
    with database.session() as session:
        snapshot = load_snapshot(session, today=CountyClock().today())
    database.dispose()
    return snapshot


@pytest.fixture(scope="session")
def rasa_server(
    rasa_venv: Path, county_settings: Settings, county_snapshot: KbSnapshot
) -> Iterator[RasaServer]:
    """A Rasa server with the small model of the sample county (trained once, then cached)."""
    project = export_project(county_snapshot, SMALL)
    model = train(rasa_venv, project)
    with serve(rasa_venv, model.path) as server:
        yield server
