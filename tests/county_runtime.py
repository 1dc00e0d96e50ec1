"""The whole bot on the sample county, for tests: SQLite + in-process state, or PostgreSQL +
Redis with a fresh key space."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from bot.app import build_runtime
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.rate_limits import Limiter, limit_storage
from handlers.standard import build_pipeline
from handlers.state import create_state_store
from knowledge_base.clock import CountyClock
from tests.live_server import county_database
from tests.services import REDIS_URL


@contextlib.asynccontextmanager
async def county_runtime(
    database_url: str, tmp_path: Path, *, clock: CountyClock | None = None
) -> AsyncIterator[Runtime]:
    """A loaded runtime on `database_url` (Redis state unless it is SQLite)."""
    redis_url = None if database_url.startswith("sqlite") else REDIS_URL
    settings = Settings(
        database_url=database_url, redis_url=redis_url, spool_dir=tmp_path / "spool"
    )
    database = county_database(settings)
    bot = build_runtime(settings, database=database, clock=clock)
    if redis_url:  # a fresh key space per test
        prefix = f"test-{uuid.uuid4().hex}"
        bot.state = create_state_store(redis_url, prefix=f"{prefix}:")
        bot.pipeline = build_pipeline(
            database=database,
            state=bot.state,
            limiter=Limiter(limit_storage(redis_url, key_prefix=f"{prefix}-limits")),
            knowledge=bot.knowledge,
            settings=settings.pipeline,
            tickets=bot.tickets,
            spool=bot.spool,
            clock=bot.clock,
            feedback=bot.feedback,
        )
        bot.feedback.state = bot.state
    await bot.knowledge.refresh_async()
    try:
        yield bot
    finally:
        await bot.state.close()
        database.dispose()
