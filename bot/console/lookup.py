"""What the hotline look-up page shows: the engine's decision for a caller's question, in the
form an operator reads aloud or transfers by (the text the bot would send, plus its authority)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from handlers.compose import ReferralCard, Reply, compose_reply
from knowledge_base.lookups import EntryFacts
from nlu.decision import Candidate, Decision
from nlu.snapshot import Fallback

KIND_NAMES = {
    "answer": "有答案",
    "clarify": "请确认来电人想问哪一项",
    "route": "转接其他部门",
    "fallback": "知识库暂无答案",
    "intent": "对话用语",
}
# An intent is named by what the caller wants, not by "对话用语".
INTENT_NAMES = {
    "emergency": "紧急情况",
    "human": "来电人要求人工服务",
    "complaint": "投诉举报",
    "abuse": "不文明用语",
}
# Shown above everything else whenever the caller may be in danger now.
EMERGENCY_ALERT = (
    "紧急情况：请立即将来电转接紧急电话——报警 110、火警 119、急救 120；"
    "有轻生念头的转心理援助热线 12356。不要让来电人等待查询结果。"
)
SMALL_TALK = "这是寒暄用语，不是具体问题。请询问来电人想咨询或办理什么事项后再查询。"
ABUSE = "来电人言语不文明。请礼貌提醒来电人文明表达诉求；如仍持续辱骂，可按规定结束通话并记录。"
# The hotline's own way for a matter no department was found for: record it and hand it on.
TICKET_PATH = (
    "请记录来电人的诉求和联系方式，登记工单转交责任单位办理，并点“已转接”"
    "（该问题会进入未答问题列表）。"
)


@dataclass(frozen=True, slots=True)
class LookupView:
    """One look-up's result, as the page renders it."""

    lookup_id: int
    question: str  # masked, as stored
    kind: str
    intent: str | None
    # What the operator reads: the bot's reply, or an instruction where the bot's words are
    # meant for a chat (转人工, 投诉, emergencies).
    text: str
    emergency: str  # the alert shown first when the caller may be in danger, else ""
    reply: Reply
    candidates: tuple[Candidate, ...]
    transfer: tuple[ReferralCard, ...]
    facts: EntryFacts | None

    @property
    def kind_name(self) -> str:
        """The decision in Chinese."""
        if self.kind == "intent" and self.intent in INTENT_NAMES:
            return INTENT_NAMES[self.intent]
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


def _hotline_card(fallback: Fallback) -> ReferralCard:
    return ReferralCard(
        department=fallback.name,
        handles=fallback.note or "不确定由哪个部门负责的事项",
        phone=fallback.phone,
        hours=fallback.hours,
    )


def _operator_text(decision: Decision, reply: Reply, cards: tuple[ReferralCard, ...]) -> str:
    """What the operator does or says, where the bot's reply speaks to a chat user."""
    if decision.kind == "fallback" and not decision.elsewhere:
        return "知识库暂无答案。" + TICKET_PATH
    if decision.kind == "clarify":
        # The chat's "请回复序号" is for a citizen typing; the operator asks and clicks.
        text = "来电人的问题可能是下列事项之一，请向来电人确认后点选。"
        if cards:
            names = "或".join(c.department for c in cards)
            text += f"如果都不是，该事项一般由{names}负责，可转接下表中的电话。"
        return text
    if decision.kind != "intent":
        return reply.text
    if decision.intent == "emergency":
        return "请立即转接紧急电话，无需继续查询。"
    if decision.intent == "abuse":
        return ABUSE
    if decision.intent not in ("human", "complaint"):
        return SMALL_TALK
    wants = (
        "来电人要投诉或举报：请记录诉求、发生的时间地点和来电人的联系方式。"
        if decision.intent == "complaint"
        else "来电人希望由工作人员处理：请询问具体事项后再查询。"
    )
    if reply.referral is not None:
        names = "或".join(c.department for c in cards)
        return f"{wants}该事项一般由{names}负责，请转接下表中的电话，并点“已转接”。"
    return wants + TICKET_PATH


def view_of(
    decision: Decision, *, lookup_id: int, question: str, facts: EntryFacts | None
) -> LookupView:
    """The page's view of `decision`: the bot's own reply (`compose_reply`) verbatim where it
    reads aloud, an operator's instruction where it speaks to a chat user."""
    emergency = decision.intent == "emergency"
    if emergency and decision.kind in ("answer", "clarify"):
        # The emergency numbers are the alert; the entry or the choices are read below it.
        reply = compose_reply(replace(decision, intent=None))
    else:
        reply = compose_reply(decision)
    cards = tuple(c for c in (reply.referral, reply.alternative) if c is not None)
    text = _operator_text(decision, reply, cards)
    if not cards and decision.fallback is not None and not decision.elsewhere:
        cards = (_hotline_card(decision.fallback),)
    return LookupView(
        lookup_id=lookup_id,
        question=question,
        kind=decision.kind,
        intent=decision.intent,
        text=text,
        emergency=EMERGENCY_ALERT if emergency else "",
        reply=reply,
        candidates=decision.candidates if decision.kind == "clarify" else (),
        transfer=cards,
        facts=facts,
    )
