"""What the hotline look-up page shows: the engine's decision for a caller's question, in the
form an operator reads aloud or transfers by (the text the bot would send, plus its authority)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.compose import ReferralCard, Reply, compose_reply
from knowledge_base.lookups import EntryFacts
from nlu.decision import Candidate, Decision

KIND_NAMES = {
    "answer": "有答案",
    "clarify": "请确认来电人想问哪一项",
    "route": "转接其他部门",
    "fallback": "知识库暂无答案",
    "intent": "对话用语",
}


@dataclass(frozen=True, slots=True)
class LookupView:
    """One look-up's result, as the page renders it."""

    lookup_id: int
    question: str  # masked, as stored
    kind: str
    reply: Reply
    candidates: tuple[Candidate, ...]
    transfer: tuple[ReferralCard, ...]
    facts: EntryFacts | None

    @property
    def kind_name(self) -> str:
        """The decision in Chinese."""
        return KIND_NAMES.get(self.kind, self.kind)

    def validity(self, today: date) -> str:
        """The answer's validity as an operator says it."""
        facts = self.facts
        if facts is None:
            return ""
        if facts.valid_until is None:
            return "长期有效" if facts.valid_from is None else f"自 {facts.valid_from} 起有效"
        left = (facts.valid_until - today).days
        return f"有效期至 {facts.valid_until}" + (f"（还剩 {left} 天）" if left <= 30 else "")


def referral_of(decision: Decision) -> str:
    """The department the caller would be transferred to, if any."""
    return decision.referral.name if decision.referral is not None else ""


def view_of(
    decision: Decision, *, lookup_id: int, question: str, facts: EntryFacts | None
) -> LookupView:
    """The page's view of `decision`; the reply is the bot's own (`compose_reply`) verbatim."""
    reply = compose_reply(decision)
    cards = tuple(c for c in (reply.referral, reply.alternative) if c is not None)
    return LookupView(
        lookup_id=lookup_id,
        question=question,
        kind=decision.kind,
        reply=reply,
        candidates=decision.candidates if decision.kind == "clarify" else (),
        transfer=cards,
        facts=facts,
    )
