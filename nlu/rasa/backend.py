"""The `rasa` answer engine: Rasa ranks the entries, the one decision policy decides.

Personal data is masked, clarify replies ("2") and rule intents (abuse, complaint, human) are
handled exactly as the built-in engine does before Rasa is asked; Rasa's response-selector ranking
becomes the candidates, scored and decided by the same decision model as the built-in engine
(`nlu.policy`). When Rasa fails or is slower than its budget the built-in engine decides instead,
and after repeated failures a circuit breaker (pybreaker) skips Rasa for a cool-down, so a citizen
always gets a reply inside WeChat's 5 s.
"""

from __future__ import annotations

import logging

import pybreaker

from nlu.base import Nlu
from nlu.builtin import BuiltinNlu
from nlu.decision import Decision
from nlu.intents import (
    COMPLAINT,
    GOODBYE,
    GREETING,
    HUMAN,
    ROBOT,
    THANKS,
    Intent,
    detect_intent,
)
from nlu.privacy import mask_personal_data, without_masked_numbers
from nlu.rasa.client import RasaClient, RasaUnavailable
from nlu.rasa.parse import RasaParse
from nlu.rasa.settings import RasaSettings
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot
from nlu.vectors import Progress, VectorStore

log = logging.getLogger(__name__)

# Rasa's conversation intents, by the names the project exports (`nlu.rasa.conversation`).
_INTENTS: dict[str, Intent] = {
    i.name: i for i in (GREETING, THANKS, GOODBYE, HUMAN, COMPLAINT, ROBOT)
}


class _BreakerLog(pybreaker.CircuitBreakerListener):
    """Counts the breaker's openings and says when Rasa is skipped and when it answers again."""

    def __init__(self, rasa: RasaSettings) -> None:
        self.rasa = rasa
        self.opened_total = 0

    def state_change(
        self,
        cb: pybreaker.CircuitBreaker,
        old_state: pybreaker.CircuitBreakerState | None,
        new_state: pybreaker.CircuitBreakerState,
    ) -> None:
        if new_state.name == pybreaker.STATE_OPEN:
            self.opened_total += 1
            log.warning(
                "Rasa at %s unavailable; the built-in engine answers for %.0f s",
                self.rasa.url,
                self.rasa.cooldown_s,
            )
        elif new_state.name == pybreaker.STATE_CLOSED and old_state is not None:
            log.warning("Rasa at %s answers again; back to Rasa", self.rasa.url)


class RasaNlu(Nlu):
    """Decides with a Rasa server; the built-in engine is the fallback when Rasa is unavailable."""

    name = "rasa"

    def __init__(
        self,
        settings: NluSettings,
        rasa: RasaSettings | None = None,
        *,
        vectors: VectorStore | None = None,
    ) -> None:
        self.settings = settings
        self.rasa: RasaSettings = rasa or settings.rasa
        # The fallback engine; its indexes also score Rasa's candidates for the shared policy.
        self.builtin = BuiltinNlu(settings, vectors=vectors)
        self.client = RasaClient(
            self.rasa.url,
            timeout_s=self.rasa.timeout_s,
            retries=self.rasa.retries,
            budget_s=self.rasa.budget_s,
        )
        # `failures_to_open` failures in a row open it for `cooldown_s`; then one call probes.
        self.breaker_log = _BreakerLog(self.rasa)
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=self.rasa.failures_to_open,
            reset_timeout=self.rasa.cooldown_s,
            listeners=[self.breaker_log],
            throw_new_error_on_trip=False,
        )
        self.rasa_total = 0
        self.failures_total = 0
        self.fallbacks_total = 0

    def load(self, snapshot: KbSnapshot, *, progress: Progress | None = None) -> None:
        self.builtin.load(snapshot, progress=progress)

    def status(self) -> dict[str, object]:
        return {**self.builtin.status(), "rasa": self.counters()}

    @property
    def circuit_open(self) -> bool:
        """True while Rasa is being skipped after repeated failures."""
        return self.breaker.current_state != pybreaker.STATE_CLOSED

    def counters(self) -> dict[str, int | bool]:
        """Counters for monitoring: calls to Rasa, its failures, built-in fallbacks, the breaker."""
        return {
            "rasa_total": self.rasa_total,
            "failures_total": self.failures_total,
            "fallbacks_total": self.fallbacks_total,
            "circuit_opened_total": self.breaker_log.opened_total,
            "circuit_open": self.circuit_open,
        }

    def entry(self, code: str) -> KbItem | None:
        return self.builtin.entry(code)

    async def decide(
        self, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
    ) -> Decision:
        state = self.builtin.state
        masked = mask_personal_data(text)
        picked = self.builtin.pick(state, masked, pending)
        if picked is not None:
            return picked
        rule = detect_intent(masked)
        if rule is not None:
            # Rasa adds nothing to a rule intent; a complaint asking for the procedure is the
            # built-in engine's whole decision.
            return await self.builtin.decide(text, department=department, pending=pending)
        clean = without_masked_numbers(masked)
        parse = await self._ask_rasa(clean)
        if parse is None:
            self.fallbacks_total += 1
            return await self.builtin.decide(text, department=department, pending=pending)
        intent = _INTENTS.get(parse.intent or "")
        if intent is not None and parse.intent_confidence >= self.rasa.intent_threshold:
            return self.builtin.intent(state, masked, intent)
        # Entries retired since the model was trained are never candidates.
        order = [state.by_code[code] for code, _ in parse.ranking if code in state.by_code]
        return await self.builtin.in_pool(
            self.builtin.decide_ranked, state, masked, clean, department, order
        )

    async def _ask_rasa(self, text: str) -> RasaParse | None:
        """Rasa's parse, or None when the breaker is open or the call failed."""
        # Half-open means the one probe after the cool-down is under way: the others do not wait.
        if self.breaker.current_state == pybreaker.STATE_HALF_OPEN:
            return None
        try:
            with self.breaker.calling():
                self.rasa_total += 1
                return await self.client.parse(text)
        except pybreaker.CircuitBreakerError:
            return None
        except RasaUnavailable as exc:
            self.failures_total += 1
            log.info("Rasa call failed (%s); the built-in engine answers this one", exc)
            return None
