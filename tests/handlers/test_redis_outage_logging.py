"""A Redis outage is logged once when it starts and once when it ends, by the state store and
by the rate limiter, not once per message; the bot keeps answering meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.app import build_runtime
from bot.settings import Settings
from handlers.messages import IncomingMessage
from handlers.state.redis_store import RedisStateStore
from tests.live_server import county_database
from tests.services import REDIS_URL

CLOSED_PORT = "redis://127.0.0.1:1/0"


def warnings(caplog: pytest.LogCaptureFixture, words: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and words in r.getMessage()
    ]


async def test_messages_during_an_outage_log_it_once_and_are_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", redis_url=CLOSED_PORT)
    database = county_database(settings)
    bot = build_runtime(settings, database=database)
    await bot.knowledge.refresh_async()
    with caplog.at_level(logging.DEBUG):
        for n in range(5):
            turn = await bot.handle(
                IncomingMessage(
                    channel="web",
                    account="yunxi-fabu-web",
                    citizen_id=f"c{n}",
                    text="社保卡丢了怎么补办",
                )
            )
            assert turn.reply is not None and "社保卡" in turn.reply.text
    assert len(warnings(caplog, "state store (Redis) unreachable")) == 1
    assert len(warnings(caplog, "rate limit store unreachable")) == 1
    assert len(warnings(caplog, "state store")) == 1, "no line per message"
    await bot.state.close()
    database.dispose()


@contextlib.asynccontextmanager
async def relay(port: int) -> AsyncIterator[int]:
    """A TCP relay on `port` (0: any) to the test Redis; leaving it cuts every connection."""
    target = urlsplit(REDIS_URL)
    links: list[asyncio.StreamWriter] = []

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            target.hostname, target.port or 6379
        )
        links.extend((writer, upstream_writer))
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(accept, "127.0.0.1", port)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for writer in links:
            writer.close()
        await server.wait_closed()


async def test_the_state_store_logs_when_redis_goes_away_and_when_it_is_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    database = urlsplit(REDIS_URL).path or "/0"
    async with relay(0) as port:
        store = RedisStateStore(f"redis://127.0.0.1:{port}{database}", prefix="outage-test:")
        await store.put("k", {"n": 1}, ttl=60)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):  # Redis cannot be reached: every call fails, one line
            with contextlib.suppress(Exception):
                await store.get("k")
        async with relay(port):
            assert await store.get("k") == {"n": 1}
            assert await store.get("k") == {"n": 1}
    assert warnings(caplog, "state store") == [
        "state store (Redis) unreachable (ConnectionError); "
        "conversations go on without their context until it is back",
        "state store (Redis) reachable again",
    ]
    await store.close()
