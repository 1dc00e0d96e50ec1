"""What the engine decided about one citizen message: channel-neutral, immutable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nlu.snapshot import DirectoryDepartment, Fallback, KbItem

DecisionKind = Literal["answer", "clarify", "route", "fallback", "intent"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry the message may be asking about."""

    code: str
    question: str
    confidence: float
    department: str = ""  # the entry's owner department


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's verdict.

    - answer: `item` is the entry to answer with.
    - clarify: `candidates` (2–3) to offer; the caller keeps their codes as the pending choice.
    - route: `referral` is the department that handles it (`handover` when it is the account's own);
      `alternative` a second department when the two were too close to choose between.
    - fallback: nothing fits; `fallback` is the 12345 hotline and a human is offered. When the
      message is about another place (`elsewhere`, e.g. 上海), the reply says what this account
      covers (`jurisdiction`) and points to that place's hotline instead.
    - intent: a conversational intent (`intent` names it); `handover` when a human must take over.
      An answer's or clarify's `intent` is "emergency" when the reply puts the emergency numbers
      first.

    `confidence` is the decision model's probability behind the verdict (answer: that the entry
    is right; clarify: that the right entry is among the candidates).
    """

    kind: DecisionKind
    masked_text: str
    intent: str | None = None
    item: KbItem | None = None
    candidates: tuple[Candidate, ...] = ()
    referral: DirectoryDepartment | None = None
    alternative: DirectoryDepartment | None = None
    fallback: Fallback | None = None
    handover: bool = False
    confidence: float = 0.0
    elsewhere: str | None = None
    jurisdiction: str = ""

    @property
    def pending(self) -> tuple[str, ...]:
        """Candidate codes to pass back as `pending` with the citizen's next message."""
        return tuple(c.code for c in self.candidates) if self.kind == "clarify" else ()
