"""Conversational intents: small talk, asking for a human, complaints, abuse, "are you a robot"."""

from __future__ import annotations

import pytest

from handlers.compose import compose_reply
from nlu.builtin import BuiltinNlu
from nlu.intents import closes_the_matter, detect_intent, without_courtesy
from nlu.registry import create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbItem
from tests.nlu.engine import decide
from tests.nlu.kb import HOUSING, ITEMS, snapshot


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greeting"),
        ("您好！", "greeting"),
        ("在吗？", "greeting"),
        ("谢谢！", "thanks"),
        ("好的，谢谢您", "thanks"),
        ("再见", "goodbye"),
        ("拜拜～", "goodbye"),
        ("你是机器人吗", "robot"),
        ("您是真人还是机器人？", "robot"),
    ],
)
def test_small_talk_is_recognised_without_handover(
    engine: BuiltinNlu, text: str, intent: str
) -> None:
    decision = decide(engine, text)
    assert (decision.kind, decision.intent) == ("intent", intent)
    assert not decision.handover


def test_a_greeting_followed_by_a_question_is_answered(engine: BuiltinNlu) -> None:
    decision = decide(engine, "你好，请问身份证丢了怎么补办？")
    assert decision.kind == "answer"


@pytest.mark.parametrize("text", ["转人工", "我要人工客服", "人工服务"])
def test_asking_for_a_human_hands_over(engine: BuiltinNlu, text: str) -> None:
    decision = decide(engine, text)
    assert (decision.kind, decision.intent, decision.handover) == ("intent", "human", True)


def test_a_complaint_hands_over_and_names_the_department(engine: BuiltinNlu) -> None:
    decision = decide(engine, "我要投诉小区物业，电梯坏了半个月没人修")
    assert (decision.kind, decision.intent, decision.handover) == ("intent", "complaint", True)
    assert decision.referral == HOUSING


def test_a_report_is_a_complaint(engine: BuiltinNlu) -> None:
    assert decide(engine, "举报工地夜间违规施工").intent == "complaint"


@pytest.mark.parametrize("text", ["你们都是废物", "傻逼", "他妈的怎么还不办", "你们真垃圾"])
def test_abuse_is_stopped_without_an_answer(engine: BuiltinNlu, text: str) -> None:
    decision = decide(engine, text)
    assert (decision.kind, decision.intent) == ("intent", "abuse")
    assert decision.item is None and not decision.candidates


def test_abuse_inside_a_question_is_still_abuse(engine: BuiltinNlu) -> None:
    assert decide(engine, "身份证丢了怎么补办，你们这帮狗官").intent == "abuse"


def test_usb_is_not_abuse(engine: BuiltinNlu) -> None:
    assert decide(engine, "usb接口坏了").intent != "abuse"


def test_rubbish_in_the_street_is_not_abuse(engine: BuiltinNlu) -> None:
    assert decide(engine, "小区门口的垃圾堆了一周没人清理").intent != "abuse"


@pytest.mark.parametrize(
    "text",
    [
        "救命 有人要跳楼",
        "我家着火了！",
        "我不想活了",
        "活着没意思",
        "我想结束自己的生命",
        "孩子走丢了",
        "我被家暴了怎么办",
        "煤气泄漏了怎么办",
        "被人打了怎么办",
    ],
)
def test_an_emergency_gets_the_emergency_numbers_not_office_hours(
    engine: BuiltinNlu, text: str
) -> None:
    decision = decide(engine, text)
    assert (decision.kind, decision.intent) == ("intent", "emergency")
    assert decision.referral is None
    reply = compose_reply(decision)
    assert all(number in reply.text for number in ("110", "119", "120", "12356"))


def test_a_procedure_after_an_emergency_is_still_a_question(engine: BuiltinNlu) -> None:
    assert decide(engine, "火灾后怎么申请临时救助").intent != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我手机13812345678转人工",
        "转人工，我电话138 1234 5678",
        "我的身份证330102199001011234 转人工",
        "座机0578-8888777，转人工",
        "我要和工作人员说话",
    ],
)
def test_asking_for_a_human_with_contact_details_still_hands_over(
    engine: BuiltinNlu, text: str
) -> None:
    decision = decide(engine, text)
    assert (decision.intent, decision.handover) == ("human", True)


def test_an_emergency_the_knowledge_base_covers_gets_the_numbers_then_the_guidance() -> None:
    fire = KbItem(
        "YJ-0001",
        "家里着火了怎么逃生？",
        "用湿毛巾捂住口鼻，低姿沿疏散通道撤离，不要乘坐电梯。",
        "县应急管理局",
    )
    engine = create_nlu("builtin", NluSettings())
    engine.load(snapshot((*ITEMS, fire)))
    decision = decide(engine, "家里着火了怎么逃生")
    assert (decision.kind, decision.intent) == ("answer", "emergency")
    assert decision.item is not None and decision.item.code == "YJ-0001"
    text = compose_reply(decision).text
    assert text.index("119") < text.index("湿毛巾"), "the number to call comes first"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("谢谢，那要多少钱", "那要多少钱"),
        ("好的那要多少钱", "那要多少钱"),
        ("收到！网上能办吗", "网上能办吗"),
        ("感谢信怎么写", "感谢信怎么写"),  # a matter that starts like thanks stays whole
        ("好的，谢谢", "谢谢"),
        ("谢谢", "谢谢"),
    ],
)
def test_a_thanks_in_front_of_a_question_is_set_aside(text: str, question: str) -> None:
    assert without_courtesy(text) == question


@pytest.mark.parametrize(
    ("text", "closes"),
    [("谢谢", True), ("好的，谢谢您", True), ("再见", True), ("好的", False), ("收到", False)],
)
def test_only_thanks_and_goodbye_close_the_matter(text: str, closes: bool) -> None:
    intent = detect_intent(text)
    assert closes_the_matter(intent.name if intent else None, text) is closes
