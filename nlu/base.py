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

    @abstractmethod
    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        """Decide about `text`.

        `department` is the addressed account's owner department: it decides what is "ours"
        versus referred, never which answer text is given. `pending` holds the candidate codes
        of a clarify question the citizen is replying to.
        """
