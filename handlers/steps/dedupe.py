"""Step: drop platform retries of a message already being handled."""

from __future__ import annotations

import logging

from handlers.state import StateStore, StateUnavailable
from handlers.turn import Turn

log = logging.getLogger(__name__)


class Deduplicate:
    """First delivery of a platform message id wins; the database index is the second guard."""

    name = "dedupe"

    def __init__(self, state: StateStore, *, ttl: float) -> None:
        self.state = state
        self.ttl = ttl

    async def __call__(self, turn: Turn) -> None:
        m = turn.message
        if m.external_id is None:
            return
        try:
            first = await self.state.claim(
                f"dedup:{m.channel}:{m.account}:{m.citizen_id}:{m.external_id}", ttl=self.ttl
            )
        except StateUnavailable:
            log.debug("state store down; relying on the database to drop duplicates")
            return
        turn.duplicate = not first
