"""The one decision policy of every engine: answer, clarify, refer elsewhere, route or fall back.

Given the ranked candidates of a message (whoever ranked them: the built-in engine or Rasa):

1. A message about another place (上海积分落户 to a Beijing account) is told what this account
   covers and pointed to that place's 12345, unless the best entry is itself about that place,
   or covers matters anywhere else and the citizen went there (在杭州看病…回来怎么报).
2. A message that is, punctuation, script and emoji aside, an entry's question or one of its
   alternate wordings is answered with that entry: the editors wrote that wording for it.
   Unless another entry means nearly the same (a near-duplicate in the knowledge base): then
   both are offered, the worded one first, and the citizen picks.
3. The best candidate is answered when the decision model's probability that it is right reaches
   the answer threshold.
4. Otherwise, when the model's probability that the right entry is among the candidates reaches
   the clarify threshold, the best distinct candidates are offered (您是不是想问).
5. Only then is the message referred to a department, or to the hotline (in-scope first).
"""

from __future__ import annotations

import numpy as np

from nlu.decision import Candidate, Decision
from nlu.decision_model import DecisionModel
from nlu.engine_state import EngineState
from nlu.features import Query
from nlu.jurisdiction import matter_from_elsewhere
from nlu.normalize import match_form
from nlu.ranking import Ranking
from nlu.settings import NluSettings
from nlu.snapshot import KbItem

# Two entries at least this close in sentence-vector cosine ask the same thing in other words:
# LCQMC's duplicate questions measure 0.983–0.999 to each other, while the sample county's
# closest distinct entries (身份证丢了 / 驾驶证丢了 / 营业执照注销) stay at or below 0.974.
NEAR_DUPLICATE_COSINE = 0.98


class DecisionPolicy:
    """Turns a ranking into a decision with the fitted model and the configured thresholds."""

    def __init__(self, model: DecisionModel, settings: NluSettings) -> None:
        self.model = model
        self.settings = settings

    def thresholds(self, mode: str) -> tuple[float, float]:
        """(answer, clarify) thresholds of `mode`: the settings' when set, else the model's."""
        fitted = self.model.modes[mode]
        answer = self.settings.answer_threshold
        clarify = self.settings.clarify_threshold
        return (
            fitted.answer_threshold if answer is None else answer,
            fitted.clarify_threshold if clarify is None else clarify,
        )

    def decide(
        self,
        state: EngineState,
        masked: str,
        query: Query,
        ranking: Ranking,
        *,
        vector: np.ndarray | None,
        department: str | None,
    ) -> Decision:
        """The verdict on `masked` (the message with personal numbers masked); `vector` is the
        message's sentence vector in semantic mode."""
        best = int(ranking.items[0]) if len(ranking) else None
        elsewhere = elsewhere_decision(state, masked, best)
        if elsewhere is not None:
            return elsewhere
        exact = state.exact.get(match_form(query.text))
        if exact is not None:
            return self._exact(state, masked, exact, ranking)
        if best is None:
            return self.route_or_fallback(state, masked, department, vector)
        row = state.best_features(query, ranking, vector)
        p_answer, p_scope = self.model.probabilities(state.mode, row)
        answer_at, clarify_at = self.thresholds(state.mode)
        items = state.snapshot.items
        if p_answer >= answer_at:
            return _answer(items[best], masked, p_answer)
        if p_scope >= clarify_at:
            offered = ranking.items[: self.settings.max_choices].tolist()
            guess = state.router.guess(masked, vector)
            routed = (
                guess
                if guess is not None and guess.score >= self.settings.route_threshold
                else None
            )
            return Decision(
                "clarify",
                masked,
                candidates=tuple(
                    Candidate(
                        items[i].code,
                        items[i].question,
                        round(float(score), 4),
                        items[i].department,
                    )
                    for i, score in zip(offered, ranking.primary, strict=False)
                ),
                # In case none of the choices is it: who handles such matters.
                referral=routed.department if routed is not None else None,
                alternative=routed.alternative if routed is not None else None,
                confidence=p_scope,
            )
        return self.route_or_fallback(state, masked, department, vector)

    def fast_answer(self, state: EngineState, masked: str, query: Query) -> Decision | None:
        """The answer by words alone when the lexical model is sure enough that the encoder
        could not change it (the threshold `govbot eval fit` chose so that no training set got
        a wrong or false answer more); None to decide with sentence vectors."""
        threshold = self.model.modes["semantic"].fast_threshold
        ranking = state.lexical_ranker.rank(query, None)
        if threshold is None or not len(ranking):
            return None
        best = int(ranking.items[0])
        if elsewhere_decision(state, masked, best) is not None:
            return None
        p_answer, _ = self.model.probabilities("lexical", state.best_features(query, ranking, None))
        if p_answer < threshold:
            return None
        return _answer(state.snapshot.items[best], masked, p_answer)

    def _exact(self, state: EngineState, masked: str, exact: int, ranking: Ranking) -> Decision:
        items = state.snapshot.items
        twins = near_duplicates(ranking, exact)
        if not twins:
            return _answer(items[exact], masked, 1.0)
        offered = [exact, *twins][: self.settings.max_choices]
        return Decision(
            "clarify",
            masked,
            candidates=tuple(
                Candidate(items[i].code, items[i].question, 1.0, items[i].department)
                for i in offered
            ),
            confidence=1.0,
        )

    def route_or_fallback(
        self,
        state: EngineState,
        masked: str,
        department: str | None,
        vector: np.ndarray | None = None,
    ) -> Decision:
        """The department that handles it (two when they are too close to choose), else the
        hotline (a human is offered, not forced)."""
        guess = state.router.guess(masked, vector)
        if guess is not None and guess.score >= self.settings.route_threshold:
            # The account's own business that the knowledge base lacks goes to its staff.
            own = department is not None and guess.department.name == department
            return Decision(
                "route",
                masked,
                referral=guess.department,
                # Unsure between two: both are named and nothing is handed over.
                alternative=guess.alternative,
                handover=own and guess.alternative is None,
                # With two departments, the hotline that forwards to the right one is offered.
                fallback=state.snapshot.directory.fallback if guess.alternative else None,
                confidence=guess.score,
            )
        return Decision("fallback", masked, fallback=state.snapshot.directory.fallback)


def elsewhere_decision(state: EngineState, masked: str, best: int | None) -> Decision | None:
    """The reply for a message about a place outside the jurisdiction, or None.

    `best` is the best candidate entry: when it is itself about the named place, the knowledge
    base answers for that place and the message is decided as usual.
    """
    if state.jurisdiction is None or state.gazetteer is None:
        return None
    place = state.jurisdiction.elsewhere(masked, state.gazetteer)
    if place is None:
        return None
    if best is not None:
        wordings = state.entry_text(best).wordings
        # The knowledge base itself answers about that place (a Beijing FAQ on 天津 transfers),
        # or about matters that happened anywhere else (外地就医报销).
        if match_form(place) in wordings or matter_from_elsewhere(masked, place, wordings):
            return None
    return Decision(
        "fallback",
        masked,
        fallback=state.snapshot.directory.fallback,
        elsewhere=place,
        jurisdiction=state.jurisdiction.name,
    )


def near_duplicates(ranking: Ranking, item: int) -> list[int]:
    """Other candidates whose meaning is nearly the same as the message's (semantic mode)."""
    if ranking.dense is None:
        return []
    return [
        int(other)
        for other, cosine in zip(ranking.items.tolist(), ranking.dense.tolist(), strict=True)
        if other != item and cosine >= NEAR_DUPLICATE_COSINE
    ]


def _answer(item: KbItem, masked: str, confidence: float) -> Decision:
    return Decision(
        "answer",
        masked,
        item=item,
        candidates=(Candidate(item.code, item.question, round(confidence, 4)),),
        confidence=confidence,
    )
