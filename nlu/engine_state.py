"""Everything an engine builds from one knowledge-base snapshot, replaced as a whole on reload.

Words (jieba with the knowledge base's own terms and synonyms), the lexical index, the sentence
vectors of every wording (from the vector caches; only new texts are encoded), the department
router and the jurisdiction. Readers hold a reference to one state, so a reload never shows
them a mix of two snapshots.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from nlu.dense_index import DenseIndex
from nlu.department_model import DepartmentModel, DepartmentModelError, load, newest_card
from nlu.features import SPREAD_RANK, EntryText, Query, entry_text, features
from nlu.index import RetrievalIndex
from nlu.jurisdiction import Gazetteer, Jurisdiction, build_jurisdiction, infer_jurisdiction
from nlu.normalize import match_form
from nlu.ranking import Ranker, Ranking
from nlu.routing import DepartmentRouter
from nlu.segment import Segmenter
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot
from nlu.synonyms import canonical_map
from nlu.vectors import Embedder, Progress

log = logging.getLogger(__name__)
# Characters of an entry's question and answer encoded as its passage: enough to say what the
# entry is about (e5's own use: a query against passages), short enough to encode fast.
PASSAGE_CHARS = 120


def user_words(snapshot: KbSnapshot) -> set[str]:
    """Knowledge-base terms for the segmenter: tags, synonyms and 《titled》 names in questions."""
    words: set[str] = set()
    for item in snapshot.items:
        words.update(item.tags)
        for text in (item.question, *item.alternates):
            words.update(part.split("》")[0] for part in text.split("《")[1:])
    for group in snapshot.synonyms:
        words.add(group.canonical)
        words.update(group.variants)
    return {w for w in words if w}


@dataclass
class EngineState:
    """One snapshot's indexes; `entry_text` memoises per-entry matching forms."""

    snapshot: KbSnapshot
    index: RetrievalIndex
    ranker: Ranker
    # Words alone, for the fast path of a semantic engine (`nlu.policy`).
    lexical_ranker: Ranker
    router: DepartmentRouter
    by_code: dict[str, int]
    jurisdiction: Jurisdiction | None
    gazetteer: Gazetteer | None
    # Each wording in matching form → the first entry worded so (an exact question is answered).
    exact: dict[str, int] = field(default_factory=dict)
    # Per entry, the vector of its question with the start of its answer (semantic mode only).
    passages: np.ndarray | None = None
    # Each wording's vector by its matching form (semantic mode only).
    wording_vectors: dict[str, np.ndarray] = field(default_factory=dict)
    _texts: dict[int, EntryText] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def mode(self) -> str:
        """ "semantic" when sentence vectors rank candidates, else "lexical"."""
        return "semantic" if self.ranker.semantic else "lexical"

    def best_features(
        self, query: Query, ranking: Ranking, vector: np.ndarray | None
    ) -> np.ndarray:
        """The decision model's features of the ranking's best candidate (`vector`: the
        message's sentence vector, None in lexical mode)."""
        best = int(ranking.items[0])
        return features(
            self.index,
            query,
            self.entry_text(best),
            ranking.primary,
            ranking.char,
            bm25=float(ranking.bm25[0]),
            lexical_first=ranking.lexical_first == best,
            answer_cosines=self.answer_cosines(ranking.items, vector),
        )

    def answer_cosines(self, items: np.ndarray, vector: np.ndarray | None) -> np.ndarray:
        """Cosines of a message's vector with the passages of the first `SPREAD_RANK` of
        `items` (empty in lexical mode)."""
        if self.passages is None or vector is None:
            return np.zeros(0)
        return self.passages[items[:SPREAD_RANK]] @ vector

    def entry_text(self, item: int) -> EntryText:
        """Matching forms of entry `item`, computed on first use."""
        known = self._texts.get(item)
        if known is None:
            known = entry_text(self.index, self.snapshot.items[item])
            with self._lock:
                self._texts[item] = known
        return known


def entry_passage(item: KbItem) -> str:
    """What an entry is about, as a passage: its question and the start of its answer."""
    return f"{item.question}\n{item.answer}"[:PASSAGE_CHARS]


def _dense(
    snapshot: KbSnapshot, embedder: Embedder, settings: NluSettings, progress: Progress | None
) -> tuple[DenseIndex, dict[str, np.ndarray]]:
    """The vector index of every wording, and each wording's vector by its matching form (a
    message worded exactly so needs no encoding)."""
    texts: list[str] = []
    owners: list[int] = []
    for position, item in enumerate(snapshot.items):
        for text in (item.question, *item.alternates):
            if text.strip():
                texts.append(text)
                owners.append(position)
    vectors = embedder.wordings(texts, progress=progress)
    by_form: dict[str, np.ndarray] = {}
    for form, vector in zip(_forms(texts), vectors, strict=True):
        by_form.setdefault(form, vector)
    index = DenseIndex(
        vectors,
        np.asarray(owners, dtype=np.int64),
        len(snapshot.items),
        ann_above=settings.ann_above,
    )
    return index, by_form


def department_model(settings: NluSettings, departments: set[str]) -> DepartmentModel | None:
    """The newest trained department model when it knows exactly the directory's departments
    (a department added since is unknown to it: zero-shot until the next training)."""
    card = newest_card(settings.routing_models) if settings.routing_models else None
    if card is None or not departments:
        return None
    try:
        model = load(card)
    except DepartmentModelError as exc:
        log.warning("department model not used: %s", exc)
        return None
    if set(model.departments) != departments:
        log.info("department model %s was trained for other departments", card.name)
        return None
    return model


def _jurisdiction(
    snapshot: KbSnapshot, settings: NluSettings
) -> tuple[Jurisdiction | None, Gazetteer | None]:
    name = settings.jurisdiction or infer_jurisdiction(snapshot.items)
    if not name:
        return None, None
    return build_jurisdiction(name, settings.jurisdiction_aliases)


def build_state(
    snapshot: KbSnapshot,
    settings: NluSettings,
    embedder: Embedder | None,
    *,
    progress: Progress | None = None,
) -> EngineState:
    """Index `snapshot`; sentence vectors only when an `embedder` is given (else lexical mode)."""
    # The knowledge base's groups are the only copy: the synonyms file is loaded into it.
    synonyms = canonical_map(snapshot.synonyms)
    segmenter = Segmenter(user_words(snapshot), synonyms)
    index = RetrievalIndex(snapshot.items, segmenter)
    dense, wording_vectors = (
        _dense(snapshot, embedder, settings, progress) if embedder is not None else (None, {})
    )
    passages = (
        embedder.passages([entry_passage(i) for i in snapshot.items], progress=progress)
        if embedder is not None
        else None
    )
    departments = snapshot.directory.departments
    remit_vectors = (
        embedder.passages([d.remit for d in departments], progress=progress)
        if embedder is not None and departments
        else None
    )
    jurisdiction, gazetteer = _jurisdiction(snapshot, settings)
    router = DepartmentRouter(
        snapshot.directory,
        snapshot.items,
        index.question_words,
        segmenter,
        remit_vectors=remit_vectors,
        semantic_evidence=settings.route_semantic_evidence,
        classifier=department_model(settings, {d.name for d in departments}),
        place_names=jurisdiction.local_names if jurisdiction is not None else (),
    )
    return EngineState(
        snapshot=snapshot,
        index=index,
        ranker=Ranker(index, dense, top_k=settings.retrieve_top_k),
        lexical_ranker=Ranker(index, None, top_k=settings.retrieve_top_k),
        router=router,
        by_code={item.code: i for i, item in enumerate(snapshot.items)},
        jurisdiction=jurisdiction,
        gazetteer=gazetteer,
        exact=_exact_wordings(snapshot),
        passages=passages,
        wording_vectors=wording_vectors,
    )


def _exact_wordings(snapshot: KbSnapshot) -> dict[str, int]:
    exact: dict[str, int] = {}
    for position, item in enumerate(snapshot.items):
        for form in _forms((item.question, *item.alternates)):
            if form:
                exact.setdefault(form, position)
    return exact


@lru_cache(maxsize=1 << 18)
def _form(text: str) -> str:
    return match_form(text)


def _forms(texts: Iterable[str]) -> list[str]:
    """Matching forms of wordings, each computed once per process (reloads reuse them)."""
    return [_form(text) for text in texts]
