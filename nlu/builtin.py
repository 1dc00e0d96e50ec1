"""The built-in answer engine: normalisation, jieba + synonyms, fused retrieval, re-ranking,
intents, routing and the thresholded decision."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.base import Nlu
from nlu.calibration import DEFAULT, Calibration
from nlu.decision import Candidate, Decision
from nlu.features import parse_query
from nlu.index import RetrievalIndex
from nlu.intents import choice_number, detect_intent, intent_decision
from nlu.privacy import mask_personal_data, without_masked_numbers
from nlu.ranking import Scored, rank
from nlu.routing import DepartmentRouter
from nlu.segment import Segmenter
from nlu.settings import NluSettings
from nlu.snapshot import Directory, KbSnapshot
from nlu.synonyms import canonical_map, read_synonyms


@dataclass(frozen=True, slots=True)
class _Loaded:
    """Everything built from one snapshot; replaced as a whole so readers never see a mix."""

    snapshot: KbSnapshot
    index: RetrievalIndex
    router: DepartmentRouter
    by_code: dict[str, int]


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


class BuiltinNlu(Nlu):
    """Retrieval-based engine with calibrated confidences and configurable thresholds."""

    name = "builtin"

    def __init__(self, settings: NluSettings) -> None:
        self.settings = settings
        self.calibration: Calibration = DEFAULT
        empty = KbSnapshot(items=())
        self._state = self._build(empty)

    def _build(self, snapshot: KbSnapshot) -> _Loaded:
        # The synonyms file is re-read on every load, so edits take effect with the next snapshot.
        from_file = read_synonyms(self.settings.synonyms_path)
        synonyms = canonical_map((*from_file, *snapshot.synonyms))
        segmenter = Segmenter(user_words(snapshot), synonyms)
        index = RetrievalIndex(snapshot.items, segmenter)
        router = DepartmentRouter(
            snapshot.directory, snapshot.items, index.question_words, segmenter
        )
        by_code = {item.code: i for i, item in enumerate(snapshot.items)}
        return _Loaded(snapshot, index, router, by_code)

    @property
    def index(self) -> RetrievalIndex:
        """The retrieval index of the loaded snapshot."""
        return self._state.index

    def load(self, snapshot: KbSnapshot) -> None:
        # Build aside, then swap one reference: decisions in flight keep using the old state.
        self._state = self._build(snapshot)

    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        state = self._state
        masked = mask_personal_data(text)
        picked = self._pick(state, masked, pending)
        if picked is not None:
            return picked
        intent = detect_intent(masked)
        if intent is not None:
            return intent_decision(
                intent,
                masked,
                router=state.router,
                directory=state.snapshot.directory,
                route_threshold=self.settings.route_threshold,
            )
        query = parse_query(state.index, without_masked_numbers(masked))
        ranked = rank(state.index, query, self.settings.retrieve_top_k, self.calibration)
        return self._verdict(state, masked, ranked, department)

    def _pick(self, state: _Loaded, masked: str, pending: tuple[str, ...]) -> Decision | None:
        """A reply like "2" to a clarify question answers with the chosen pending candidate."""
        if not pending:
            return None
        number = choice_number(masked)
        if number is None or not 1 <= number <= len(pending):
            return None
        position = state.by_code.get(pending[number - 1])
        if position is None:
            return None
        return Decision("answer", masked, item=state.snapshot.items[position], confidence=1.0)

    def _candidate(self, state: _Loaded, scored: Scored) -> Candidate:
        item = state.snapshot.items[scored.item]
        return Candidate(item.code, item.question, round(scored.confidence, 4))

    def _verdict(
        self, state: _Loaded, masked: str, ranked: list[Scored], department: str | None
    ) -> Decision:
        settings = self.settings
        # The most likely meant entry is answered only when it is confidently the same question
        # and no other candidate is nearly as confident.
        top = ranked[0] if ranked else None
        if top is not None and top.confidence >= settings.answer_threshold:
            runner_up = max((s.confidence for s in ranked[1:]), default=0.0)
            if top.confidence - runner_up >= settings.answer_margin:
                return Decision(
                    "answer",
                    masked,
                    item=state.snapshot.items[top.item],
                    candidates=(self._candidate(state, top),),
                    confidence=top.confidence,
                )
        offered = [
            s for s in ranked[: settings.max_choices] if s.confidence >= settings.clarify_threshold
        ]
        if offered:
            return Decision(
                "clarify",
                masked,
                candidates=tuple(self._candidate(state, s) for s in offered),
                confidence=offered[0].confidence,
            )
        return self._route_or_fallback(state, masked, department)

    def _route_or_fallback(self, state: _Loaded, masked: str, department: str | None) -> Decision:
        directory: Directory = state.snapshot.directory
        guess = state.router.guess(masked)
        if guess is not None and guess.score >= self.settings.route_threshold:
            # The account's own business that the knowledge base lacks goes to its staff.
            own = department is not None and guess.department.name == department
            return Decision(
                "route",
                masked,
                referral=guess.department,
                handover=own,
                confidence=guess.score,
            )
        # A human is offered (reply 转人工), not forced: the citizen may prefer the hotline.
        return Decision("fallback", masked, fallback=directory.fallback)
