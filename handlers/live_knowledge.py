"""The answer engine and account directory, kept in step with the published knowledge base.

Every change to the knowledge base is an audit record; a cheap query for the newest record's id
tells whether anything changed. When it did, a new snapshot is built in a worker thread and
loaded into the engine, so published, edited and retired entries take effect within seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date

from handlers.turn import AccountInfo
from knowledge_base.accounts import list_accounts
from knowledge_base.audit import change_counter
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database
from knowledge_base.snapshot import load_snapshot
from nlu.base import Nlu

log = logging.getLogger(__name__)


def _log_progress(done: int, total: int) -> None:
    """Encoding progress of new wordings, in the log (a server has no progress bar)."""
    if done == total or done <= 32:
        log.info("encoding new knowledge-base wordings: %d of %d", done, total)


class LiveKnowledge:
    """Holds the engine and the accounts; `refresh` reloads them when the database changed."""

    def __init__(
        self,
        database: Database,
        engine: Nlu,
        *,
        clock: CountyClock,
    ) -> None:
        self.database = database
        self.engine = engine
        self._clock = clock
        self._revision: tuple[int, date] | None = None
        self._accounts: dict[str, AccountInfo] = {}
        self._lock = asyncio.Lock()
        self.reloads = 0

    def account(self, code: str) -> AccountInfo | None:
        """A live (not closed) account by code."""
        return self._accounts.get(code)

    def accounts(self) -> list[AccountInfo]:
        """All live accounts."""
        return list(self._accounts.values())

    def refresh(self) -> bool:
        """Reload if the knowledge base or the date changed; True when it reloaded (blocking)."""
        today = self._clock.today()
        with self.database.session() as session:
            revision = (change_counter(session), today)
            if revision == self._revision:
                return False
            started = time.perf_counter()
            snapshot = load_snapshot(session, today=today)
            accounts = {
                a.code: AccountInfo(
                    id=a.id,
                    code=a.code,
                    name=a.name,
                    platform=a.platform.value,
                    department_id=a.department_id,
                    department=a.department.name,
                    department_code=a.department.code,
                )
                for a in list_accounts(session)
            }
        self.engine.load(snapshot, progress=_log_progress)
        self._accounts = accounts
        self._revision = revision
        self.reloads += 1
        log.info(
            "knowledge base revision %s loaded: %d entries in %.0f ms",
            revision[0],
            len(snapshot.items),
            (time.perf_counter() - started) * 1000,
        )
        return True

    async def refresh_async(self) -> bool:
        """`refresh` in a worker thread, one at a time."""
        async with self._lock:
            return await asyncio.to_thread(self.refresh)

    async def keep_fresh(self, every: float) -> None:
        """Poll for changes until cancelled; a failing database only delays the next reload
        (one log line when refreshing starts failing, one when it works again)."""
        failing = False
        while True:
            await asyncio.sleep(every)
            try:
                await self.refresh_async()
            except Exception as exc:
                if not failing:
                    log.warning(
                        "knowledge base refresh failing (%s); keeping the loaded version",
                        (str(exc).splitlines() or [type(exc).__name__])[0][:200],
                    )
                failing = True
                continue
            if failing:
                log.warning("knowledge base refresh works again")
            failing = False
