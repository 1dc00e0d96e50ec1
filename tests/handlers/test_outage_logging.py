"""A database outage is reported in one line when it starts and one when it ends, by each
background loop; stopping a process mid-job logs nothing."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from handlers.alerts.service import AlertService
from handlers.live_knowledge import LiveKnowledge
from handlers.spool import Spool
from handlers.spool_replay import keep_replaying


def outage() -> OperationalError:
    return OperationalError("SELECT", {}, ConnectionRefusedError("connection refused"))


class Outage:
    """Fails `down` times, then works `up` times, then stops the loop."""

    def __init__(self, down: int, up: int) -> None:
        self.results = [outage()] * down + [None] * up

    def __call__(self, *_: object) -> bool:
        if not self.results:
            raise asyncio.CancelledError
        result = self.results.pop(0)
        if result is not None:
            raise result
        return False


async def test_the_knowledge_refresh_logs_an_outage_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = LiveKnowledge.__new__(LiveKnowledge)
    outage_ = Outage(down=20, up=2)

    async def refresh() -> bool:
        return outage_()

    monkeypatch.setattr(knowledge, "refresh_async", refresh, raising=False)
    with caplog.at_level(logging.WARNING), pytest.raises(asyncio.CancelledError):
        await knowledge.keep_fresh(0)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and "failing" in lines[0] and "again" in lines[1]
    assert not any(r.exc_info for r in caplog.records)


async def test_the_spool_replay_logs_an_outage_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("handlers.spool_replay.replay", Outage(down=20, up=2))
    with caplog.at_level(logging.WARNING), pytest.raises(asyncio.CancelledError):
        await keep_replaying(Spool(tmp_path), None, every=0, on_quarantine=print)  # type: ignore[arg-type]
    assert len(caplog.records) == 1 and not caplog.records[0].exc_info


async def test_stopping_during_an_alert_job_logs_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    started = asyncio.Event()

    async def slow_scan() -> None:
        started.set()
        await asyncio.sleep(3600)

    job = asyncio.ensure_future(AlertService._guarded(slow_scan)())  # type: ignore[arg-type]
    await started.wait()
    with caplog.at_level(logging.WARNING):
        job.cancel()
        await asyncio.gather(job, return_exceptions=True)
    assert caplog.records == []
