"""The built-in answer engine: sentence vectors and words find the candidates, one fitted
decision model decides (see `nlu.policy`).

Semantic mode needs the encoder (multilingual-e5-small, bundled); when it cannot load, the
engine says so once and keeps answering in lexical mode (BM25 + character grams) with the
decision model fitted for that mode.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, TypeVar

from nlu.base import Nlu
from nlu.decision import Candidate, Decision
from nlu.decision_model import load_decision_model
from nlu.encoders.registry import encoder_failure, load_encoder, single_threaded_openmp
from nlu.engine_state import EngineState, build_state
from nlu.features import parse_query
from nlu.intents import (
    EMERGENCY,
    OUT_OF_RANGE,
    Intent,
    choice_number,
    detect_intent,
    intent_decision,
    knowledge_first,
)
from nlu.normalize import match_form
from nlu.policy import DecisionPolicy
from nlu.privacy import mask_personal_data, without_masked_numbers
from nlu.ranking import Ranking
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot
from nlu.vectors import Embedder, Progress, VectorStore

log = logging.getLogger(__name__)
T = TypeVar("T")


class BuiltinNlu(Nlu):
    """Semantic retrieval with lexical support and a fitted decision model."""

    name = "builtin"

    def __init__(self, settings: NluSettings, *, vectors: VectorStore | None = None) -> None:
        self.settings = settings
        self.policy = DecisionPolicy(load_decision_model(settings.decision_model), settings)
        encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
        self.embedder = (
            Embedder(encoder, vectors, wordings_as=settings.wordings_as) if encoder else None
        )
        # Encoding, ranking and the model run outside the event loop, `encoder_workers` at a
        # time, each in a thread whose OpenMP runtimes use one thread per call (a team of
        # threads per one-row prediction only waits on barriers when cores are busy).
        self._pool = ThreadPoolExecutor(
            max_workers=settings.encoder_workers,
            thread_name_prefix="engine",
            initializer=single_threaded_openmp,
        )
        self._state = build_state(KbSnapshot(items=()), settings, None)

    @property
    def state(self) -> EngineState:
        """The indexes of the loaded snapshot."""
        return self._state

    @property
    def mode(self) -> str:
        """ "semantic" or "lexical" (the encoder is configured off or could not load)."""
        return "semantic" if self.embedder is not None else "lexical"

    def status(self) -> dict[str, object]:
        """Mode, encoder and what it cost so far, for `govbot settings` and `/healthz`."""
        embedder = self.embedder
        return {
            "mode": self.mode,
            "encoder": embedder.encoder.model_id if embedder else self.settings.encoder,
            "encoder_error": encoder_failure(self.settings.encoder),
            "entries": len(self._state.snapshot.items),
            "jurisdiction": self._state.jurisdiction.name if self._state.jurisdiction else None,
            "texts_encoded": embedder.encoded_total if embedder else 0,
        }

    def load(self, snapshot: KbSnapshot, *, progress: Progress | None = None) -> None:
        # Build aside, then swap one reference: decisions in flight keep using the old state.
        self._state = build_state(snapshot, self.settings, self.embedder, progress=progress)

    def entry(self, code: str) -> KbItem | None:
        state = self._state
        position = state.by_code.get(code)
        return state.snapshot.items[position] if position is not None else None

    async def alternatives(
        self, text: str, *, exclude: frozenset[str], limit: int
    ) -> tuple[KbItem, ...]:
        state = self._state
        clean = without_masked_numbers(mask_personal_data(text))
        ranking = await self.in_pool(self.rank, state, clean)
        items = (state.snapshot.items[int(i)] for i in ranking.items)
        return tuple(item for item in items if item.code not in exclude)[:limit]

    def rank(self, state: EngineState, clean: str) -> Ranking:
        """The candidates for `clean` (blocking: encodes in semantic mode)."""
        query = parse_query(state.index, clean)
        vector = None
        if self.embedder is not None and state.ranker.semantic:
            vector = state.wording_vectors.get(match_form(clean))
            if vector is None:
                vector = self.embedder.query(clean)
        return state.ranker.rank(query, vector)

    async def in_pool(self, work: Callable[..., T], *args: Any) -> T:
        """Run CPU-bound `work(*args)` in the engine's pool, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)

    def decide_ranked(
        self,
        state: EngineState,
        masked: str,
        clean: str,
        department: str | None,
        order: Sequence[int] | None = None,
    ) -> Decision:
        """Encode, rank (or score the given `order` of entries) and decide (blocking).

        A message worded exactly as an entry takes that wording's stored vector; one the lexical
        model answers confidently is answered without encoding (`DecisionPolicy.fast_answer`).
        """
        query = parse_query(state.index, clean)
        vector = None
        if self.embedder is not None and state.ranker.semantic:
            vector = state.wording_vectors.get(match_form(clean))
            if vector is None and order is None and self.settings.fast_path:
                fast = self.policy.fast_answer(state, masked, query)
                if fast is not None:
                    return fast
            if vector is None:
                vector = self.embedder.query(clean)
        ranking = state.ranker.rank(query, vector, order=order)
        return self.policy.decide(
            state, masked, query, ranking, vector=vector, department=department
        )

    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        state = self._state
        masked = mask_personal_data(text)
        picked = self.pick(state, masked, pending)
        if picked is not None:
            return picked
        intent = detect_intent(masked)
        procedure = knowledge_first(masked, intent)
        if intent is not None and not procedure:
            return self.intent(state, masked, intent)
        clean = without_masked_numbers(masked)
        decision = await self.in_pool(self.decide_ranked, state, masked, clean, department)
        if intent is EMERGENCY and decision.kind in ("answer", "clarify"):
            # What the knowledge base offers, under the emergency numbers.
            return replace(decision, intent=EMERGENCY.name)
        if intent is not None and decision.kind != "answer":
            return self.intent(state, masked, intent, decision)
        return decision

    def intent(
        self, state: EngineState, masked: str, intent: Intent, decided: Decision | None = None
    ) -> Decision:
        """The decision for a conversation intent (shared with the Rasa backend); `decided`
        is the engine's own decision on the message, when it made one."""
        return intent_decision(
            intent,
            masked,
            router=state.router,
            directory=state.snapshot.directory,
            route_threshold=self.settings.route_threshold,
            decided=decided,
        )

    @staticmethod
    def pick(state: EngineState, masked: str, pending: tuple[str, ...]) -> Decision | None:
        """A reply like "2" to a clarify question answers with the chosen pending candidate; a
        number that is not one of the choices (5 of 3, or 0) offers the choices again."""
        number = choice_number(masked) if pending else None
        if number is None:
            return None
        items = state.snapshot.items
        if 1 <= number <= len(pending):
            position = state.by_code.get(pending[number - 1])
            if position is None:
                return None
            return Decision("answer", masked, item=items[position], confidence=1.0)
        positions = [state.by_code.get(code) for code in pending]
        offered = [items[p] for p in positions if p is not None]
        if not offered:
            return None
        return Decision(
            "clarify",
            masked,
            intent=OUT_OF_RANGE,
            candidates=tuple(Candidate(item.code, item.question, 1.0) for item in offered),
            confidence=1.0,
        )
