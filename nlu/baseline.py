"""The reference engine: plain jieba words, BM25, always answer the top entry.

Kept so every evaluation reports the built-in engine against the same simple method in one run.
"""

from __future__ import annotations

from nlu.base import Nlu
from nlu.decision import Candidate, Decision
from nlu.index import RetrievalIndex
from nlu.privacy import mask_personal_data
from nlu.segment import Segmenter
from nlu.settings import NluSettings
from nlu.snapshot import KbSnapshot
from nlu.vectors import Progress


class BaselineNlu(Nlu):
    """jieba + BM25 top-1: no synonyms, no re-ranking, no rejection, no intents."""

    name = "baseline"

    def __init__(self, settings: NluSettings) -> None:
        self.settings = settings
        self._snapshot = KbSnapshot(items=())
        self._index = RetrievalIndex((), Segmenter((), {}))

    def load(self, snapshot: KbSnapshot, *, progress: Progress | None = None) -> None:
        index = RetrievalIndex(snapshot.items, Segmenter((), {}))
        self._snapshot, self._index = snapshot, index

    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        snapshot, index = self._snapshot, self._index
        masked = mask_personal_data(text)
        scores = index.bm25_scores(index.segmenter.words(masked))
        if not len(scores) or float(scores.max()) <= 0:
            return Decision("fallback", masked, fallback=snapshot.directory.fallback)
        item = snapshot.items[int(index.wording_item[int(scores.argmax())])]
        return Decision(
            "answer", masked, item=item, candidates=(Candidate(item.code, item.question, 1.0),)
        )
