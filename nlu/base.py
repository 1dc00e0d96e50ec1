"""The answer-engine interface every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from nlu.decision import Decision
from nlu.snapshot import KbItem, KbSnapshot
from nlu.vectors import Progress


class Nlu(ABC):
    """An answer engine: indexes a knowledge-base snapshot and decides about citizen messages."""

    name: str

    @abstractmethod
    def load(self, snapshot: KbSnapshot, *, progress: Progress | None = None) -> None:
        """Index `snapshot` and swap it in atomically; decisions in flight keep the old index.

        `progress(done, total)` is called while new wordings are being encoded.
        """

    def status(self) -> dict[str, object]:
        """What the engine runs on, for `govbot settings` and `/healthz`."""
        return {"mode": "lexical"}

    def entry(self, code: str) -> KbItem | None:
        """The loaded entry with `code` (None when unknown or the backend cannot tell)."""
        return None

    async def alternatives(
        self, text: str, *, exclude: frozenset[str], limit: int
    ) -> tuple[KbItem, ...]:
        """The entries that best fit `text`, best first, leaving out the `exclude` codes (an
        answer the citizen found unhelpful). This default offers the clarify choices only."""
        decision = await self.decide(text)
        found = [self.entry(c.code) for c in decision.candidates if c.code not in exclude]
        return tuple(item for item in found if item is not None)[:limit]

    @abstractmethod
    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        """Decide about `text`.

        `department` is the addressed account's owner department: it decides what is "ours"
        versus referred, never which answer text is given. `pending` holds the candidate codes
        of a clarify question the citizen is replying to.
        """
