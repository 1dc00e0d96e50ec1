"""The app factory: builds settings and the database once and hands them to whoever needs them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.settings import Settings, load_settings
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database


@dataclass(slots=True)
class AppContext:
    """Everything a command or server needs, built once per process."""

    settings: Settings
    database: Database
    clock: CountyClock


def build_context(
    settings: Settings | None = None, *, now: Callable[[], datetime] | None = None
) -> AppContext:
    """Create the application context from settings (read from the environment if not given);
    `now` replaces the system clock (tests)."""
    settings = settings or load_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return AppContext(
        settings=settings,
        database=Database(settings.database_url),
        clock=settings.clock(now),
    )
