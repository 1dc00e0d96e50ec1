"""The process log: the scheduler's routine job runs are not logged, its failures are."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from apscheduler.executors.base import run_job

from bot.app import build_context
from bot.settings import Settings


def test_scheduler_job_runs_are_quiet_at_info_and_a_failing_job_is_still_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # what `log_level: INFO` (the default) gives the process
    build_context(Settings(database_url=f"sqlite:///{tmp_path / 'log.db'}", log_level="INFO"))

    def scan() -> None:
        return None

    def dispatch() -> None:
        raise RuntimeError("notifier down")

    for func in (scan, scan, dispatch):
        job = SimpleNamespace(
            id=func.__name__, func=func, args=(), kwargs={}, misfire_grace_time=None
        )
        # How APScheduler's executor runs each due job, under the executor's logger.
        run_job(
            job, "default", [datetime(2026, 12, 1, tzinfo=UTC)], "apscheduler.executors.default"
        )
    logged = [r for r in caplog.records if r.name.startswith("apscheduler")]
    assert [(r.levelno, "raised an exception" in r.getMessage()) for r in logged] == [
        (logging.ERROR, True)
    ]
    assert logged[0].exc_info is not None and "notifier down" in str(logged[0].exc_info[1])
