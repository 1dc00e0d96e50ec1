"""Turn the engine's decision into the reply a citizen reads: channel-neutral text plus parts.

Channels adapt the form (buttons for choices, a card for a referral); the words are the same
everywhere, and an entry's answer is always given verbatim (口径一致).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.texts import EMERGENCY
from nlu.decision import Decision
from nlu.intents import OUT_OF_RANGE
from nlu.snapshot import DirectoryDepartment, Fallback

HUMAN_KEYWORD = "转人工"


@dataclass(frozen=True, slots=True)
class Choice:
    """One 您是不是想问 option: the number the citizen replies with and the entry it stands for."""

    number: int
    code: str
    question: str


@dataclass(frozen=True, slots=True)
class ReferralCard:
    """Who handles the matter and how to reach them."""

    department: str
    handles: str
    phone: str = ""
    address: str = ""
    hours: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """What the citizen reads, plus structured parts a channel may render richer."""

    text: str
    choices: tuple[Choice, ...] = ()
    referral: ReferralCard | None = None
    # A second department when the engine could not choose between two.
    alternative: ReferralCard | None = None
    handover: bool = False
    entry_code: str | None = None
    source_title: str = ""
    source_url: str = ""


_INTENT_TEXT = {
    "greeting": "您好！欢迎咨询政务服务。请直接输入您想了解的问题，例如“社保卡怎么补办”。",
    "thanks": "不客气，很高兴为您服务！如还有其他问题，欢迎随时咨询。",
    "goodbye": "感谢您的咨询，祝您生活愉快，再见！",
    "robot": (
        "我是政务智能咨询助手，可以解答常见的办事问题；"
        f"如需工作人员为您服务，请回复“{HUMAN_KEYWORD}”。"
    ),
    "human": "好的，已为您转接人工服务。工作人员将在规定时限内回复您，请耐心等待。",
    "complaint": "您反映的情况已收到，我们将登记并转交工作人员办理，在规定时限内答复您。",
    "abuse": "请文明用语。为了更好地为您服务，请理性、文明地表达您的诉求。本次对话已记录。",
    "emergency": EMERGENCY,
}


def _card(department: DirectoryDepartment) -> ReferralCard:
    return ReferralCard(
        department=department.name,
        handles=department.remit,
        phone=department.phone,
        address=department.address,
        hours=department.hours,
    )


def _contact_line(card: ReferralCard) -> str:
    parts = [f"联系电话：{card.phone}" if card.phone else ""]
    parts.append(f"办公地址：{card.address}" if card.address else "")
    parts.append(f"办公时间：{card.hours}" if card.hours else "")
    return "；".join(p for p in parts if p)


def _hotline(fallback: Fallback) -> str:
    hours = f"（{fallback.hours}）" if fallback.hours else ""
    return f"{fallback.name}{fallback.phone and '：' + fallback.phone}{hours}"


def _answer(decision: Decision) -> Reply:
    item = decision.item
    if item is None:
        raise ValueError("an answer decision carries its entry")
    # An emergency's answer (着火了怎么逃生) comes after the numbers to call now.
    urgent = decision.intent == "emergency"
    return Reply(
        text=f"{_INTENT_TEXT['emergency']}\n{item.answer}" if urgent else item.answer,
        entry_code=item.code,
        source_title=item.source_title,
        source_url=item.source_url,
    )


def _clarify(decision: Decision) -> Reply:
    choices = tuple(
        Choice(number, c.code, c.question) for number, c in enumerate(decision.candidates, 1)
    )
    lines = [f"{c.number}. {c.question}" for c in choices]
    numbers = "/".join(str(c.number) for c in choices)
    text = (
        "您是不是想问：\n" + "\n".join(lines) + f"\n请回复序号（{numbers}），或换个说法再问一次。"
    )
    if decision.intent == OUT_OF_RANGE:
        text = (
            f"抱歉，没有这个序号，请回复1到{len(choices)}之间的序号：\n"
            + "\n".join(lines)
            + "\n也可以换个说法再问一次。"
        )
    if decision.intent == "emergency":
        text = f"{_INTENT_TEXT['emergency']}\n{text}"
    # "If none of these": only a department that owns one of the choices is named, never a
    # third one the choices do not come from.
    owners = {c.department for c in decision.candidates}
    named = [d for d in (decision.referral, decision.alternative) if d and d.name in owners]
    card = _card(named[0]) if named else None
    second = _card(named[1]) if len(named) > 1 else None
    if card is not None:
        names = [c.department + (f"（{c.phone}）" if c.phone else "") for c in (card, second) if c]
        text += f"\n如果都不是，您反映的事项一般由{'或'.join(names)}负责。"
    return Reply(text=text, choices=choices, referral=card, alternative=second)


def _route(decision: Decision) -> Reply:
    department = decision.referral
    if department is None:
        raise ValueError("a route decision carries its department")
    card = _card(department)
    if decision.alternative is not None:
        return _two_departments(card, _card(decision.alternative), decision)
    if decision.handover:
        text = (
            f"您咨询的事项属于{card.department}的职责，我们已转交工作人员，将在规定时限内答复您。"
        )
    else:
        contact = _contact_line(card)
        handles = card.handles.rstrip("。；;.")  # the closing 。 follows the bracket
        text = f"您咨询的事项建议联系{card.department}办理（该部门负责：{handles}）。" + (
            f"\n{contact}。" if contact else ""
        )
    return Reply(text=text, referral=card, handover=decision.handover)


def _two_departments(first: ReferralCard, second: ReferralCard, decision: Decision) -> Reply:
    """An honest "two possibilities": both departments, and the hotline that forwards it."""
    lines = []
    for card in (first, second):
        contact = _contact_line(card)
        lines.append(
            f"· {card.department}（负责：{card.handles}）" + (f"，{contact}" if contact else "")
        )
    fallback = decision.fallback or Fallback()
    text = (
        "您反映的事项可能由以下两个部门之一负责：\n"
        + "\n".join(lines)
        + f"\n如不确定，可拨打{_hotline(fallback)}，由热线转交责任单位；"
        + f"也可以回复“{HUMAN_KEYWORD}”，由工作人员为您解答。"
    )
    return Reply(text=text, referral=first, alternative=second)


def _fallback(decision: Decision) -> Reply:
    fallback = decision.fallback or Fallback()
    if decision.elsewhere:
        # Another place's matter: never that place's answer from this knowledge base.
        text = (
            f"本账号提供{decision.jurisdiction}的政务服务咨询。"
            f"您咨询的是{decision.elsewhere}的事项，各地政策和办理方式不同，"
            f"建议拨打{decision.elsewhere}的12345政务服务便民热线，或登录当地政务服务网查询。"
        )
        return Reply(text=text)
    text = (
        "抱歉，暂时没有找到与您的问题相符的答复。"
        f"您可以拨打{_hotline(fallback)}咨询，"
        f"也可以回复“{HUMAN_KEYWORD}”，由工作人员为您解答。"
    )
    return Reply(text=text, handover=decision.handover)


def _intent(decision: Decision) -> Reply:
    text = _INTENT_TEXT.get(decision.intent or "", _INTENT_TEXT["human"])
    card = _card(decision.referral) if decision.referral else None
    second = _card(decision.alternative) if decision.alternative else None
    if card is not None and second is not None:
        text += f"该事项一般由{card.department}或{second.department}负责。"
    elif card is not None:
        text += f"该事项一般由{card.department}负责。"
    return Reply(text=text, referral=card, alternative=second, handover=decision.handover)


def compose_reply(decision: Decision) -> Reply:
    """The reply for `decision`, in plain, polite Simplified Chinese."""
    match decision.kind:
        case "answer":
            return _answer(decision)
        case "clarify":
            return _clarify(decision)
        case "route":
            return _route(decision)
        case "fallback":
            return _fallback(decision)
        case "intent":
            return _intent(decision)
