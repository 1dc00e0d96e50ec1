"""The `rasa` answer engine: Rasa's ranking decides which entry, the built-in pieces do the rest.

Personal data is masked, clarify replies ("2") and rule intents (abuse, complaint, human) are
handled exactly as the built-in engine does before Rasa is asked; Rasa's response-selector ranking
becomes the candidates of the usual answer / clarify / route / fallback decision. When Rasa fails
or is slower than its budget the built-in engine decides instead, and after repeated failures a
circuit breaker skips Rasa for a cool-down, so a citizen always gets a reply inside WeChat's 5 s.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from nlu.base import Nlu
from nlu.builtin import BuiltinNlu
from nlu.decision import Candidate, Decision
from nlu.intents import (
    COMPLAINT,
    GOODBYE,
    GREETING,
    HUMAN,
    ROBOT,
    THANKS,
    Intent,
    choice_number,
    detect_intent,
    intent_decision,
)
from nlu.privacy import mask_personal_data, without_masked_numbers
from nlu.rasa.breaker import CircuitBreaker
from nlu.rasa.client import RasaClient, RasaUnavailable
from nlu.rasa.parse import RasaParse
from nlu.rasa.settings import RasaSettings
from nlu.routing import DepartmentRouter
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot

log = logging.getLogger(__name__)

# Rasa's conversation intents, by the names the project exports (`nlu.rasa.conversation`).
_INTENTS: dict[str, Intent] = {
    i.name: i for i in (GREETING, THANKS, GOODBYE, HUMAN, COMPLAINT, ROBOT)
}


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What one snapshot gives: entries by code and the department router; swapped as a whole."""

    snapshot: KbSnapshot
    by_code: dict[str, KbItem]
    router: DepartmentRouter


class RasaNlu(Nlu):
    """Decides with a Rasa server; the built-in engine is the fallback when Rasa is unavailable."""

    name = "rasa"

    def __init__(self, settings: NluSettings, rasa: RasaSettings | None = None) -> None:
        self.settings = settings
        self.rasa: RasaSettings = rasa or settings.rasa
        self.builtin = BuiltinNlu(settings)
        self.client = RasaClient(
            self.rasa.url,
            timeout_s=self.rasa.timeout_s,
            retries=self.rasa.retries,
            budget_s=self.rasa.budget_s,
        )
        self.breaker = CircuitBreaker(
            failures_to_open=self.rasa.failures_to_open, cooldown_s=self.rasa.cooldown_s
        )
        self.rasa_total = 0
        self.failures_total = 0
        self.fallbacks_total = 0
        self._state = self._build(KbSnapshot(items=()))

    def _build(self, snapshot: KbSnapshot) -> _Loaded:
        index = self.builtin.index
        router = DepartmentRouter(
            snapshot.directory, snapshot.items, index.question_words, index.segmenter
        )
        return _Loaded(snapshot, {item.code: item for item in snapshot.items}, router)

    def load(self, snapshot: KbSnapshot) -> None:
        # The fallback first: the router reuses its segmenter and question words.
        self.builtin.load(snapshot)
        self._state = self._build(snapshot)

    @property
    def circuit_open(self) -> bool:
        """True while Rasa is being skipped after repeated failures."""
        return self.breaker.is_open

    def counters(self) -> dict[str, int | bool]:
        """Counters for monitoring: calls to Rasa, its failures, built-in fallbacks, the breaker."""
        return {
            "rasa_total": self.rasa_total,
            "failures_total": self.failures_total,
            "fallbacks_total": self.fallbacks_total,
            "circuit_opened_total": self.breaker.opened_total,
            "circuit_open": self.circuit_open,
        }

    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        state = self._state
        masked = mask_personal_data(text)
        picked = _pick(state, masked, pending)
        if picked is not None:
            return picked
        rule = detect_intent(masked)
        if rule is not None:
            return self._intent(state, masked, rule)
        parse = await self._ask_rasa(without_masked_numbers(masked))
        if parse is None:
            self.fallbacks_total += 1
            return await self.builtin.decide(text, department=department, pending=pending)
        intent = _INTENTS.get(parse.intent or "")
        if intent is not None and parse.intent_confidence >= self.rasa.intent_threshold:
            return self._intent(state, masked, intent)
        return self._verdict(state, masked, parse, department)

    async def _ask_rasa(self, text: str) -> RasaParse | None:
        """Rasa's parse, or None when the breaker is open or the call failed."""
        if not self.breaker.allow():
            return None
        self.rasa_total += 1
        try:
            parse = await self.client.parse(text)
        except RasaUnavailable as exc:
            self.failures_total += 1
            if self.breaker.record_failure():
                log.warning(
                    "Rasa at %s unavailable (%s); the built-in engine answers for %.0f s",
                    self.rasa.url,
                    exc,
                    self.rasa.cooldown_s,
                )
            else:
                log.info("Rasa call failed (%s); the built-in engine answers this one", exc)
            return None
        if self.breaker.record_success():
            log.warning("Rasa at %s answers again; back to Rasa", self.rasa.url)
        return parse

    def _intent(self, state: _Loaded, masked: str, intent: Intent) -> Decision:
        """A conversation intent, decided the same way as the built-in engine does."""
        return intent_decision(
            intent,
            masked,
            router=state.router,
            directory=state.snapshot.directory,
            route_threshold=self.settings.route_threshold,
        )

    def _verdict(
        self, state: _Loaded, masked: str, parse: RasaParse, department: str | None
    ) -> Decision:
        # Rasa's softmax spreads over every entry, so its confidences shrink as the knowledge
        # base grows; an entry's share of the returned ranking (top 10) does not.
        total = sum(confidence for _, confidence in parse.ranking) or 1.0
        # Entries retired since the model was trained are never answered.
        ranked = [
            Candidate(code, state.by_code[code].question, round(confidence / total, 4))
            for code, confidence in parse.ranking
            if code in state.by_code
        ]
        top = ranked[0] if ranked else None
        if top is not None and top.confidence >= self.rasa.answer_threshold:
            runner_up = ranked[1].confidence if len(ranked) > 1 else 0.0
            if top.confidence - runner_up >= self.rasa.answer_margin:
                return Decision(
                    "answer",
                    masked,
                    item=state.by_code[top.code],
                    candidates=(top,),
                    confidence=top.confidence,
                )
        offered = [
            c
            for c in ranked[: self.settings.max_choices]
            if c.confidence >= self.rasa.clarify_threshold
        ]
        if offered:
            return Decision(
                "clarify", masked, candidates=tuple(offered), confidence=offered[0].confidence
            )
        return self._route_or_fallback(state, masked, department)

    def _route_or_fallback(self, state: _Loaded, masked: str, department: str | None) -> Decision:
        guess = state.router.guess(masked)
        if guess is not None and guess.score >= self.settings.route_threshold:
            # The account's own business that the knowledge base lacks goes to its staff.
            own = department is not None and guess.department.name == department
            return Decision(
                "route", masked, referral=guess.department, handover=own, confidence=guess.score
            )
        return Decision("fallback", masked, fallback=state.snapshot.directory.fallback)


def _pick(state: _Loaded, masked: str, pending: tuple[str, ...]) -> Decision | None:
    """A reply like "2" to a clarify question answers with the chosen pending candidate."""
    number = choice_number(masked) if pending else None
    if number is None or not 1 <= number <= len(pending):
        return None
    item = state.by_code.get(pending[number - 1])
    if item is None:
        return None
    return Decision("answer", masked, item=item, confidence=1.0)
