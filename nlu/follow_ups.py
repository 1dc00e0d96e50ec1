"""Follow-up questions decided in the context of the last answer.

After 新生儿怎么上户口 a citizen writes 那要带什么材料？ or 网上能办吗？: alone, those name no
matter. A message that reads as a follow-up (it starts with 那/那么/如果/还有/另外, refers to
"上一个问题"/"刚才那个", or is short and names no topic once its facet and question words are
set aside) is decided a second time with the last answer's topic joined to it. The joint
decision replaces the stand-alone one only when it is more confident, so a message with a clear
topic of its own starts afresh.

The topic is the answered entry's question without its facet words (材料, 网上办, 费用, 时间,
地点 …) and question words, so the follow-up's own facet picks the entry: in a knowledge base
whose entries split one matter by facet (结婚登记 地址 / 材料 / 预约) the joint text
"结婚登记 要带什么材料" finds the sibling entry rather than the one just answered. Where the
siblings differ by more than a facet word (异地就医备案 后持社保卡 / 有效期 / 变更城市), the
follow-up's own words pick among them (`nlu.siblings`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from nlu.base import Nlu
from nlu.decision import Decision
from nlu.intents import closes_the_matter, without_courtesy
from nlu.normalize import match_form
from nlu.siblings import best_sibling, neighbourhood, pairs_of
from nlu.snapshot import KbItem

# What a follow-up asks about the same matter; stripped from the entry question to leave its
# topic, and from a message to see whether anything of its own remains.
FACET_WORDS = (
    "携带哪些材料|携带什么材料|需要哪些材料|需要什么材料|要什么材料|带什么材料|哪些材料|什么材料|材料|证件|手续|带什么|带哪些|携带"
    "|网上办理|网上申请|网上办|网上|线上|在线|手机上|手机|小程序|app|网办|能不能网上"
    "|多少钱|费用|收费|要钱|花钱|交钱|钱|免费|工本费"
    "|多长时间|多久|几天|几个工作日|时限|什么时候|啥时候|何时|时间|期限"
    "|在哪里|在哪儿|在哪|去哪里|去哪儿|去哪|哪里|哪儿|地点|地址|窗口|哪个部门|电话"
    "|条件|要求|资格|流程|步骤|程序|方式|途径"
)
# Question, filler and function words: nothing of a topic.
QUESTION_WORDS = (
    "怎么办理|如何办理|怎样办理|怎么办|怎么|如何|怎样|咋办|咋|什么|哪些|啥|多少|几"
    "|是否|能否|能不能|可不可以|可以|能|会|要|需要|需|得|应该|应当|必须|该"
    "|吗|呢|吧|啊|呀|嘛|么|呐|哦|了|的|地|也|都|还|又|就|再|请问|问一下|一下|问下"
    "|我|你|您|我们|他|她|孩子的|本人|自己|办理|办|申请|有|没有|是|不是|给|用|带|交|准备|提供"
    # How much, how often and when it is done: the facets of amounts and results.
    "|一个月|每个月|每月|一年|每年|一次|最多|最少|最高|最低|大概|一般|左右"
    "|拿到|领到|到手|办下来|下来|办好|办完|有结果|结果|答复|回复"
)
# A message opening with one of these leans on what was said before.
_OPENER = re.compile(r"^(那么|那如果|那要是|那|如果|要是|假如|还有|另外|此外|对了|顺便问)")
# Explicit references to the previous question.
_REFERENCE = re.compile(
    r"上一个问题|上个问题|刚才那个|刚才的|刚刚那个|刚刚的|前面那个|上面那个|这件事|这个事"
)
# Interrogatives only: what an entry question adds to its topic.
INTERROGATIVES = (
    "怎么办理|如何办理|怎样办理|怎么办|怎么|如何|怎样|咋办|咋|什么|哪些|是否|能否|能不能"
    "|可不可以|可以吗|吗|呢|吧|请问|需要|应该"
)
_FACETS = re.compile(FACET_WORDS)
_QUESTIONS = re.compile(QUESTION_WORDS)
_INTERROGATIVES = re.compile(INTERROGATIVES)
# What remains of a message with no topic of its own is at most this many characters (a
# stray character such as 去 or 签 names nothing; two may: 转学, 家人, 补卡).
_OWN_TOPIC_CHARS = 1
# Longer than this a message states a matter of its own even after its facet words go.
_SHORT_CHARS = 14


@dataclass(frozen=True, slots=True)
class LastAnswer:
    """The entry a conversation was last answered with, kept for follow-ups."""

    code: str
    topic: str
    # When it was answered: seconds since the epoch on the county clock.
    at: float
    # The question it answered as decided (masked; a follow-up joined to the earlier topic), so
    # 没帮助 offers what fits the whole question rather than the bare 要多少钱.
    asked: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> LastAnswer | None:
        """Rebuild from the stored JSON (None when nothing was answered)."""
        if not data or not data.get("code"):
            return None
        return cls(
            str(data["code"]),
            str(data.get("topic", "")),
            float(data.get("at", 0.0)),
            str(data.get("asked", "")),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored between messages."""
        return {"code": self.code, "topic": self.topic, "at": self.at, "asked": self.asked}

    def fresh(self, now: float, ttl: float) -> bool:
        """True while the answer is recent enough to be the context of a follow-up."""
        return 0 <= now - self.at <= ttl


def topic_of(question: str) -> str:
    """The matter an entry question is about: its facet and question words removed."""
    form = match_form(question)
    topic = _INTERROGATIVES.sub("", _FACETS.sub("", form))
    return topic or form


def _without_reference(form: str) -> str:
    return _REFERENCE.sub("", _OPENER.sub("", form))


def own_topic(text: str) -> str:
    """What `text` says beyond openers, references, facets and question words."""
    rest = _without_reference(match_form(text))
    return _QUESTIONS.sub("", _FACETS.sub("", rest))


def reads_as_follow_up(text: str) -> bool:
    """True when `text` leans on the previous answer (see the module docstring)."""
    form = match_form(text)
    if not form:
        return False
    if _OPENER.match(form) or _REFERENCE.search(form):
        return True
    return topicless(text)


def topicless(text: str) -> bool:
    """True when `text` is short and names no matter of its own (要多少钱？ 网上能办吗？)."""
    form = match_form(text)
    return 0 < len(form) <= _SHORT_CHARS and len(own_topic(text)) <= _OWN_TOPIC_CHARS


def joined(topic: str, text: str) -> str:
    """The message with the last topic in front of it (openers and references dropped)."""
    rest = _without_reference(match_form(text))
    return f"{topic} {rest}".strip()


def more_confident(joint: Decision, alone: Decision) -> bool:
    """True when the decision with context is surer than the one without.

    An answer beats anything but a surer answer; offering choices beats a referral or the
    hotline, and fewer-doubt choices beat other choices.
    """
    if joint.kind == "answer":
        return alone.kind != "answer" or joint.confidence > alone.confidence
    if joint.kind == "clarify":
        if alone.kind in ("route", "fallback"):
            return True
        return alone.kind == "clarify" and joint.confidence > alone.confidence
    return False


@dataclass(frozen=True, slots=True)
class ContextDecision:
    """A decision and whether the conversation's context made it."""

    decision: Decision
    in_context: bool


async def decide_in_context(
    engine: Nlu,
    text: str,
    *,
    last: LastAnswer | None,
    answer_at: float = 1.0,
    department: str | None = None,
    pending: tuple[str, ...] = (),
) -> ContextDecision:
    """The engine's decision on `text`, in the context of `last` when it reads as a follow-up.
    With no `last` it is exactly the stand-alone decision.

    - A message with no topic of its own is decided with the last topic joined to it; when
      that joint decision offers choices with confidence at least `answer_at`, its first
      choice is answered: the conversation has already said what the matter is.
    - A message that names a matter of its own is decided alone; only when that finds nothing
      (a referral or the hotline) and the message is short or opens like a follow-up (那…,
      如果…, 刚才那个…) does the joint decision take its place, or when both readings offer
      choices led by the same entry.
    Either way the joint decision replaces the stand-alone one only when it is more confident.
    Before all that, a message the engine does not answer alone is matched against the last
    answer's siblings (`_sibling_answer`). A thanks or acknowledgement in front of a question
    (谢谢，那要多少钱) is set aside: the question is decided.
    """
    question = without_courtesy(text)
    if question != text:
        decided = await decide_in_context(
            engine, question, last=last, answer_at=answer_at, department=department, pending=pending
        )
        # The record keeps what the citizen wrote.
        return dataclasses.replace(
            decided, decision=dataclasses.replace(decided.decision, masked_text=text)
        )
    alone = await engine.decide(text, department=department, pending=pending)
    if last is None or not last.topic:
        return ContextDecision(alone, False)
    # Small talk, a handover request, a picked choice or another place stay what they are.
    if alone.kind == "intent" or alone.elsewhere is not None or alone.confidence >= 1.0:
        return ContextDecision(alone, False)
    previous = engine.entry(last.code)
    if alone.kind != "answer" and previous is not None and _answer_covers(previous, text):
        return ContextDecision(_answer(alone, previous), True)
    around_last: tuple[KbItem, ...] | None = None
    if alone.kind != "answer":
        around_last = await neighbourhood(engine, last.code)
        sibling = await _sibling_answer(engine, text, last, alone, around_last, answer_at)
        if sibling is not None:
            return ContextDecision(sibling, True)
    found_nothing = alone.kind in ("route", "fallback")
    # Besides follow-ups, a short message that finds nothing alone (要体检吗？) and one the
    # engine is unsure between choices about are decided with the conversation in mind.
    unsure = alone.kind == "clarify" and alone.confidence >= answer_at
    short = len(match_form(text)) <= _SHORT_CHARS
    follows = reads_as_follow_up(text)
    if not (follows or (found_nothing and short) or unsure):
        return ContextDecision(alone, False)
    if not (follows or unsure) and not await _names_the_context(engine, text, around_last or ()):
        # A short message of its own that the last answer's matter does not mention
        # (今天天气怎么样, 附近有什么好吃的) is not about it: it is decided alone.
        return ContextDecision(alone, False)
    own = not topicless(text)
    if own and not found_nothing and alone.kind != "clarify":
        return ContextDecision(alone, False)
    near = {item.code for item in around_last or ()}
    if own and unsure and previous is not None:
        # A new question within the same department's business, or about an entry near the
        # last answer, continues the conversation: the engine's first choice is answered.
        choice = engine.entry(alone.candidates[0].code)
        if choice is not None and (choice.department == previous.department or choice.code in near):
            return ContextDecision(_answer(alone, choice), True)
    joint = await engine.decide(joined(last.topic, text), department=department)
    sure = joint.kind == "clarify" and joint.confidence >= answer_at
    # With a topic of its own, the reading alone must agree on the joint first choice.
    agreed = (
        sure and alone.kind == "clarify" and alone.candidates[0].code == joint.candidates[0].code
    )
    if own and alone.kind == "clarify" and not agreed:
        # Its own choices stand: joint ones led by another entry lead with the earlier matter
        # (驾驶证 offered, then 疫苗在哪打 got 驾驶证 as its first choice).
        return ContextDecision(alone, False)
    if sure:
        # Without a topic of its own the conversation names the matter.
        item = engine.entry(joint.candidates[0].code) if not own or agreed else None
        if item is not None:
            joint = _answer(joint, item)
    if joint.elsewhere is not None or not more_confident(joint, alone):
        return ContextDecision(alone, False)
    # The record keeps what the citizen wrote, not the joined text.
    return ContextDecision(dataclasses.replace(joint, masked_text=alone.masked_text), True)


def _answer_covers(previous: KbItem, text: str) -> bool:
    """True when `text` only asks a facet (材料, 网上, 地址 …) of the last answer's matter and
    that answer already speaks of every facet asked: the citizen gets it again rather than a
    sibling entry whose question names the facet (补领身份证 → 那要带什么材料 → not 首次申领)."""
    if not topicless(text):
        return False
    cores = [_QUESTIONS.sub("", facet) for facet in _FACETS.findall(match_form(text))]
    return bool(cores) and all(core and core in previous.answer for core in cores)


# A short message of its own is read in context only when at least this share of its own
# character pairs occur in the last answer or its neighbours' questions.
CONTEXT_MIN_SHARE = 0.5
# How many entries around the last answer, and fitting the message alone, must meet.
CONTEXT_NEAR = 3


async def _names_the_context(engine: Nlu, text: str, around: tuple[KbItem, ...]) -> bool:
    """True when the message is about the last answer's matter (`around`: the last answer and
    its neighbourhood, `nlu.siblings.neighbourhood`): the entries it fits best alone are near
    the last answer (去哪里打针 after 疫苗接种), or its own words (facets and question words
    aside) are found in those entries' questions and answers (要体检吗 after an answer that
    mentions 体检). A message with several words of its own, none of them found there, is not
    about it, whatever fits it best (今天天气怎么样 after 身份证丢了怎么补办)."""
    own = pairs_of(own_topic(text))
    if not own:
        return True
    bodies = [body for item in around for body in (item.question, item.answer)]
    found = sum(1 for pair in own if any(pair in body for body in bodies))
    if found >= CONTEXT_MIN_SHARE * len(own):
        return True
    if found == 0 and len(own) > 1:
        # Several words of its own and none of them in the context (今天天气怎么样): entries
        # that fit such a message best fit it by chance, and say nothing about the context.
        return False
    near = {item.code for item in around[:CONTEXT_NEAR]}
    fits = await engine.alternatives(text, exclude=frozenset(), limit=CONTEXT_NEAR)
    return any(item.code in near for item in fits)


# A sibling is answered only when it holds at least this share of the follow-up's own words: a
# stray common character pair names nothing.
SIBLING_MIN_SHARE = 0.1


async def _sibling_answer(
    engine: Nlu,
    text: str,
    last: LastAnswer,
    alone: Decision,
    around_last: tuple[KbItem, ...],
    answer_at: float,
) -> Decision | None:
    """The last answer's sibling that the follow-up's own words name (`nlu.siblings`), when
    they name one more than the last answer and no less than any other sibling; a stand-alone
    reading sure of its choices must lead with it."""
    own_text = _without_reference(match_form(text))
    choice = await best_sibling(engine, own_text, joined(last.topic, text), last.topic, around_last)
    if choice is None or choice.score < SIBLING_MIN_SHARE:
        return None
    if choice.score <= choice.last_score or choice.score < choice.runner_up:
        return None
    if not pairs_of(_QUESTIONS.sub("", own_text)) & pairs_of(choice.item.question):
        # Only question words in common (什么, 怎么): 你叫什么名字 names no sibling.
        return None
    sure = alone.kind == "clarify" and alone.confidence >= answer_at
    if sure and alone.candidates[0].code != choice.item.code:
        return None
    return _answer(alone, choice.item)


def _answer(joint: Decision, item: KbItem) -> Decision:
    return Decision(
        "answer",
        joint.masked_text,
        item=item,
        candidates=joint.candidates[:1],
        confidence=joint.confidence,
    )


def remember(
    last: LastAnswer | None,
    decision: Decision,
    *,
    now: float,
    answer_at: float = 1.0,
    asked: str = "",
) -> LastAnswer | None:
    """The context after `decision`.

    An answer sets the topic to its entry's (a follow-up that moved to a sibling entry moves
    the conversation with it). Choices offered with confidence at least `answer_at` set it to
    the first choice's: a citizen who asks on instead of picking most likely meant it. Thanks
    and goodbye close the matter: the next message is read afresh (an acknowledgement such as
    好的 or 收到 does not). Anything else leaves the last answer as it was. `asked` is the
    question an answer was decided on.
    """
    if decision.kind == "intent" and closes_the_matter(decision.intent, decision.masked_text):
        return None
    if decision.kind == "answer" and decision.item is not None:
        return LastAnswer(decision.item.code, topic_of(decision.item.question), now, asked)
    if decision.kind == "clarify" and decision.confidence >= answer_at and decision.candidates:
        first = decision.candidates[0]
        return LastAnswer(first.code, topic_of(first.question), now)
    return last
