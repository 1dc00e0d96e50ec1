"""The reply a citizen reads for each kind of decision."""

from __future__ import annotations

from handlers.compose import Choice, ReferralCard, compose_reply
from nlu.decision import Candidate, Decision
from nlu.snapshot import DirectoryDepartment, Fallback, KbItem

ITEM = KbItem(
    "GA-0002",
    "身份证丢了怎么补办？",
    "身份证丢失后，请带户口簿到户籍所在地派出所补领。\n工本费20元。",
    "县公安局",
    source_title="《居民身份证法》",
    source_url="https://example.gov.cn/a/1",
)
HOUSING = DirectoryDepartment(
    name="县住房和城乡建设局",
    remit="物业管理、老旧小区改造",
    phone="0578-5000001",
    address="县行政服务中心3楼",
    hours="工作日 8:30-17:00",
)


def test_an_answer_is_the_entry_text_verbatim() -> None:
    reply = compose_reply(Decision("answer", "身份证丢了", item=ITEM, confidence=0.9))
    assert reply.text == ITEM.answer
    assert reply.entry_code == "GA-0002"
    assert (reply.source_title, reply.source_url) == (ITEM.source_title, ITEM.source_url)
    assert not reply.handover and not reply.choices and reply.referral is None


def test_clarify_lists_numbered_choices() -> None:
    decision = Decision(
        "clarify",
        "丢了怎么补办",
        candidates=(
            Candidate("GA-0002", "身份证丢了怎么补办？", 0.2),
            Candidate("RS-0001", "社保卡丢了怎么补办？", 0.1),
        ),
    )
    reply = compose_reply(decision)
    assert reply.text.startswith("您是不是想问：")
    assert "1. 身份证丢了怎么补办？" in reply.text
    assert "2. 社保卡丢了怎么补办？" in reply.text
    assert "请回复序号（1/2）" in reply.text
    assert reply.choices == (
        Choice(1, "GA-0002", "身份证丢了怎么补办？"),
        Choice(2, "RS-0001", "社保卡丢了怎么补办？"),
    )


def test_a_referral_names_the_department_and_how_to_reach_it() -> None:
    reply = compose_reply(Decision("route", "物业不管事", referral=HOUSING, confidence=0.2))
    assert "县住房和城乡建设局" in reply.text
    assert "0578-5000001" in reply.text and "县行政服务中心3楼" in reply.text
    assert reply.referral == ReferralCard(
        "县住房和城乡建设局",
        "物业管理、老旧小区改造",
        "0578-5000001",
        "县行政服务中心3楼",
        "工作日 8:30-17:00",
    )
    assert not reply.handover


def test_a_remit_written_as_a_sentence_reads_without_doubled_punctuation() -> None:
    sentence = DirectoryDepartment(
        name="县生态环境分局", remit="大气污染和噪声污染的投诉处理。", phone="0578-5100140"
    )
    reply = compose_reply(Decision("route", "工厂排烟", referral=sentence))
    assert "（该部门负责：大气污染和噪声污染的投诉处理）。" in reply.text
    assert "。）" not in reply.text


def test_the_accounts_own_matter_promises_a_staff_reply() -> None:
    reply = compose_reply(Decision("route", "物业", referral=HOUSING, handover=True))
    assert reply.handover
    assert "转交工作人员" in reply.text


def test_fallback_gives_the_hotline_and_offers_a_human() -> None:
    reply = compose_reply(Decision("fallback", "天气", fallback=Fallback()))
    assert "12345政务服务便民热线" in reply.text and "12345" in reply.text
    assert "转人工" in reply.text
    assert not reply.handover


def test_abuse_gets_a_polite_warning_only() -> None:
    reply = compose_reply(Decision("intent", "***", intent="abuse"))
    assert "文明" in reply.text
    assert not reply.handover and reply.entry_code is None


def test_a_complaint_is_handed_over_with_the_department_card() -> None:
    decision = Decision("intent", "投诉物业", intent="complaint", referral=HOUSING, handover=True)
    reply = compose_reply(decision)
    assert reply.handover
    assert reply.referral is not None and reply.referral.department == "县住房和城乡建设局"
    assert "县住房和城乡建设局" in reply.text


def test_every_small_talk_intent_has_its_own_text() -> None:
    texts = {
        name: compose_reply(Decision("intent", "x", intent=name)).text
        for name in ("greeting", "thanks", "goodbye", "robot", "human")
    }
    assert len(set(texts.values())) == len(texts)
    assert "您好" in texts["greeting"] and "不客气" in texts["thanks"]


def test_an_emergency_clarify_puts_the_numbers_first() -> None:
    decision = Decision(
        "clarify",
        "着火了",
        intent="emergency",
        candidates=(Candidate("GA-0002", "身份证丢了怎么补办？", 0.5),),
    )
    text = compose_reply(decision).text
    assert text.index("119") < text.index("您是不是想问")
