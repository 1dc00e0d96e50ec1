"""Conversational intents recognised before retrieval: emergencies, small talk, human handover,
abuse.

Small-talk intents only fire on short messages that are mostly the formula itself, so a question
that merely starts with 你好 still reaches the knowledge base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.decision import Decision
from nlu.normalize import match_form, normalize
from nlu.routing import DepartmentRouter
from nlu.snapshot import Directory

# Profanity and insults (恶意诋毁、侮辱、粗言秽语): stopped at once, recorded, never answered.
_ABUSE = re.compile(
    r"傻逼|傻b|煞笔|沙比|(?<![a-z])sb(?![a-z])|操你|草你|艹你|cnm|你妈|他妈的|妈的|去死|滚蛋|滚开|狗日|日你|王八蛋|混蛋|"
    r"贱人|废物|脑残|弱智|白痴|垃圾东西|狗官|畜生|fuck|shit|"
    # An everyday word turned on the government or its staff (你们真垃圾, 政府就是一群饭桶):
    # an insult, not a matter for the department whose remit holds the word.
    r"(你们|你|政府|客服|机器人|工作人员|当官的)(真|太|就|都|简直|真是|就是|都是)?(是)?"
    r"(一群|一帮|一堆|个)?(垃圾|饭桶|人渣|败类|蛀虫)"
)
# Danger to life or property now: the citizen needs 110/119/120 at once, not office hours.
_EMERGENCY = re.compile(
    r"救命|着火|著火|失火|起火了|火灾了|跳楼|跳河|自杀|轻生|不想活|活不下去|想死|被家暴|家暴我|"
    # Crisis said without the usual words (活着没意思, 结束自己的生命).
    r"活着(真)?没(有)?(意思|意义)|活够了|结束(自己的?)?生命|了结自己|一死了之|寻死|割腕|"
    r"被人打|被打了|(煤气|燃气|天然气)(泄漏|泄露|漏了)|漏气了|(孩子|小孩|老人)(走丢|丢了|不见了|失踪)|"
    r"被抢|抢劫|车祸|溺水|晕倒|昏迷|被绑|绑架|杀人|持刀|砍人"
)
# ... unless the message asks about a procedure that follows (火灾后怎么申请救助): the knowledge
# base answers that.
_AFTERWARDS = re.compile(r"申请|办理|证明|补贴|补助|救助金|赔偿|理赔|报销|认定|材料|保护令|流程")
_HUMAN = re.compile(
    r"转人工|人工服务|人工客服|找人工|要人工|人工在吗|真人客服|找真人|客服在吗|"
    r"(找|和|跟|联系)工作人员|工作人员说话"
)
# Contact details a citizen leaves beside 转人工 (numbers, masked or not, "我电话…") do not make the
# message a question.
_CONTACT = re.compile(r"[0-9a-z@._+-]+|我的?|手机号?码?|电话|座机|身份证号?|联系我|邮箱")
_COMPLAINT = re.compile(r"投诉|举报|检举|控告|信访")
# A complaint word inside a question about the procedure (如何举报黑摩的): the knowledge base may
# answer it; only when it cannot does the message become a complaint for staff.
_PROCEDURE = re.compile(
    r"怎么|怎样|如何|咋|向哪|向谁|找谁|找哪|去哪|哪个部门|什么部门|哪里|电话|渠道|流程"
)
_ROBOT = re.compile(r"(你|您)是(不是)?(机器人|真人|人工智能|ai|人还是机器)|是机器人吗|机器人吗")
_GREETING = re.compile(
    r"^(你好|您好|hello|hi|嗨|哈喽|在吗|在不在|早上好|上午好|中午好|下午好|晚上好|有人吗)+(啊|呀|呢)?$"
)
_THANKS = re.compile(
    r"^(谢谢|多谢|感谢|谢了|thanks|thankyou|辛苦了|好的谢谢|好的|收到|明白了|知道了)+(你|您)?(啊|呀|了|啦)?$"
)
_GOODBYE = re.compile(r"^(再见|拜拜|bye|byebye|回头见|下次见|没有了|没事了|不用了)+(啊|呀|了|啦)?$")
# What makes a thanks message a thanks rather than an acknowledgement (好的, 收到, 明白了): only
# thanks and goodbye close the matter talked about.
_GRATEFUL = re.compile(r"谢|thank|辛苦")
# A thanks or acknowledgement in front of a question (谢谢，那要多少钱): the question is what is
# asked. The formula ends at a punctuation mark or where a follow-up opener starts.
_COURTESY_PREFIX = re.compile(
    r"^\s*(?:(?:谢谢|多谢|感谢|谢了|好的|收到|明白了|明白|知道了|了解了|嗯|ok)(?:你|您)?(?:啊|呀|了|啦)?"
    r"[\s，,。.！!、~～]*)+?(?:(?<=[\s，,。.！!、~～])|(?=那|还有|另外|对了|顺便|请问))",
    re.IGNORECASE,
)

# Small talk longer than this is treated as a question that happens to be polite.
_SMALL_TALK_MAX = 12


@dataclass(frozen=True, slots=True)
class Intent:
    """A recognised intent and whether a human must take over."""

    name: str
    handover: bool = False


EMERGENCY = Intent("emergency")
ABUSE = Intent("abuse")
HUMAN = Intent("human", handover=True)
COMPLAINT = Intent("complaint", handover=True)
ROBOT = Intent("robot")
GREETING = Intent("greeting")
THANKS = Intent("thanks")
GOODBYE = Intent("goodbye")


def closes_the_matter(intent: str | None, text: str) -> bool:
    """True when the conversational intent `intent` of `text` ends the matter talked about:
    thanks (谢谢, 感谢) and goodbye (再见, 拜拜) do; an acknowledgement (好的, 收到, 明白了) only
    says the answer was read, and the citizen may well ask on about it."""
    if intent == GOODBYE.name:
        return True
    return intent == THANKS.name and bool(_GRATEFUL.search(match_form(text)))


def without_courtesy(text: str) -> str:
    """`text` without a thanks or acknowledgement in front of a question (谢谢，那要多少钱 →
    那要多少钱); `text` itself when nothing follows the formula."""
    match = _COURTESY_PREFIX.match(text)
    if match is None or not match_form(text[match.end() :]):
        return text
    return text[match.end() :]


def knowledge_first(text: str, intent: Intent | None) -> bool:
    """True when the knowledge base is asked before the intent's own reply: a complaint that
    asks how or where to complain, and every emergency (着火了怎么逃生 has guidance; the emergency
    numbers go first either way)."""
    if intent is EMERGENCY:
        return True
    return intent is COMPLAINT and bool(_PROCEDURE.search(match_form(text)))


def detect_intent(text: str) -> Intent | None:
    """The conversational intent of `text`, or None when it should go to retrieval."""
    form = match_form(text)
    if not form:
        return None
    if _EMERGENCY.search(form) and not _AFTERWARDS.search(form):
        return EMERGENCY
    if _ABUSE.search(form):
        return ABUSE
    if _COMPLAINT.search(form):
        return COMPLAINT
    short = len(form) <= _SMALL_TALK_MAX
    if _HUMAN.search(form) and len(_CONTACT.sub("", form)) <= _SMALL_TALK_MAX:
        return HUMAN
    if short and _ROBOT.search(form):
        return ROBOT
    for pattern, intent in ((_GREETING, GREETING), (_THANKS, THANKS), (_GOODBYE, GOODBYE)):
        if pattern.match(form):
            return intent
    return None


_CHOICE_WORDS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
# Any small number, so that one beyond the choices offered (5 of 3, or 0) is recognised too.
_CHOICE = re.compile(r"^(?:第|选|选择)?(\d{1,2}|[零一二两三四五六七八九十])(?:个|条|项|号)?$")
# A minus sign (ASCII, full-width, typographic) or 负 in front: the number is negative. The
# matching form drops signs, so it is read from the normalised text before that.
_NEGATIVE = re.compile(r"^[-−﹣‐‑–负]\s*(?=\S)")
# The `intent` of choices offered again because the number replied is not one of them.
OUT_OF_RANGE = "choice_out_of_range"


def choice_number(text: str) -> int | None:
    """The number of a clarify reply such as "2", "第二个", "选3" (1-based; it may be beyond the
    choices offered, 0, or negative: -1 is no choice at all); None otherwise."""
    unsigned = _NEGATIVE.sub("", normalize(text), count=1)
    match = _CHOICE.match(match_form(unsigned))
    if match is None:
        return None
    token = match.group(1)
    number = int(token) if token.isdigit() else _CHOICE_WORDS[token]
    return -number if unsigned != normalize(text) else number


def intent_decision(
    intent: Intent,
    masked: str,
    *,
    router: DepartmentRouter,
    directory: Directory,
    route_threshold: float,
    decided: Decision | None = None,
) -> Decision:
    """The decision for a conversation intent; a complaint carries the department it most
    likely concerns (that of `decided`, the engine's decision on the message, when given: it
    saw the sentence vector), and a handover carries the hotline."""
    referral = alternative = None
    if intent.name == COMPLAINT.name and decided is not None:
        referral, alternative = decided.referral, decided.alternative
    elif intent.name == COMPLAINT.name:
        guess = router.guess(masked)
        if guess is not None and guess.score >= route_threshold:
            referral, alternative = guess.department, guess.alternative
    return Decision(
        "intent",
        masked,
        intent=intent.name,
        referral=referral,
        alternative=alternative,
        handover=intent.handover,
        fallback=directory.fallback if intent.handover else None,
    )
