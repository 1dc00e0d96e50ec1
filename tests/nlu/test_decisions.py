"""Each kind of decision the built-in engine makes, as a citizen would notice it."""

from __future__ import annotations

import pytest

from nlu.builtin import BuiltinNlu
from nlu.settings import NluSettings
from nlu.snapshot import DirectoryDepartment, KbItem
from tests.nlu.engine import decide
from tests.nlu.kb import HOUSING, ITEMS, LABOUR, POLICE, snapshot


def test_a_question_in_the_knowledge_base_is_answered(engine: BuiltinNlu) -> None:
    decision = decide(engine, "身份证丢了怎么补办？")
    assert decision.kind == "answer"
    assert decision.item is not None and decision.item.code == "GA-0001"


def test_an_alternate_wording_is_answered(engine: BuiltinNlu) -> None:
    decision = decide(engine, "身份证遗失了，如何补领")
    assert decision.item is not None and decision.item.code == "GA-0001"


def test_traditional_full_width_query_gets_the_same_answer(engine: BuiltinNlu) -> None:
    decision = decide(engine, "身份證丟了怎麼補辦？？😭")
    assert decision.kind == "answer"
    assert decision.item is not None and decision.item.code == "GA-0001"


def test_a_question_worded_differently_is_answered_by_meaning(engine: BuiltinNlu) -> None:
    # No shared key word with the entry (怎么提取住房公积金？) beyond 公积金.
    decision = decide(engine, "我想把公积金里的钱取出来，要怎么办")
    assert decision.kind in ("answer", "clarify")
    shown = [decision.item.code] if decision.item else [c.code for c in decision.candidates]
    assert shown[0] == "GJ-0001"


def test_a_vague_question_offers_choices(engine: BuiltinNlu) -> None:
    decision = decide(engine, "丢了怎么补办")
    assert decision.kind == "clarify"
    codes = [c.code for c in decision.candidates]
    assert {"GA-0001", "RS-0001"} <= set(codes) and len(codes) <= 3
    assert decision.pending == tuple(codes)


def test_replying_with_a_number_picks_that_choice(engine: BuiltinNlu) -> None:
    pending = decide(engine, "丢了怎么补办").pending
    second = decide(engine, "2", pending=pending)
    assert second.kind == "answer"
    assert second.item is not None and second.item.code == pending[1]
    first = decide(engine, "第一个", pending=pending)
    assert first.item is not None and first.item.code == pending[0]


def test_a_number_without_pending_choices_is_not_an_answer(engine: BuiltinNlu) -> None:
    assert decide(engine, "2").kind != "answer"


def test_a_number_beyond_the_choices_is_not_an_answer(engine: BuiltinNlu) -> None:
    assert decide(engine, "3", pending=("GA-0001", "RS-0001")).kind != "answer"


def test_a_matter_outside_the_kb_is_referred_to_its_department(engine: BuiltinNlu) -> None:
    decision = decide(engine, "小区物业乱收费，电梯坏了也没人修，希望管一管")
    assert decision.kind == "route"
    assert decision.referral == HOUSING
    assert not decision.handover


def test_wage_arrears_go_to_labour(engine: BuiltinNlu) -> None:
    decision = decide(engine, "单位拖欠工资三个月了，老板一直不给")
    assert decision.kind == "route"
    assert decision.referral == LABOUR


def test_the_accounts_own_matter_is_handed_to_its_staff(engine: BuiltinNlu) -> None:
    text = "单位拖欠工资三个月了，老板一直不给"
    decision = decide(engine, text, department=LABOUR.name)
    assert decision.kind == "route" and decision.referral == LABOUR
    assert decision.handover
    # The account decides what is "ours", never which answer a question gets.
    asked_elsewhere = decide(engine, "身份证丢了怎么补办？", department=LABOUR.name)
    assert asked_elsewhere.item is not None and asked_elsewhere.item.code == "GA-0001"


def test_nothing_fits_falls_back_to_the_hotline(engine: BuiltinNlu) -> None:
    decision = decide(engine, "今天天气怎么样")
    assert decision.kind == "fallback"
    assert decision.fallback is not None and decision.fallback.phone == "12345"


def test_an_everyday_question_is_neither_answered_nor_referred(engine: BuiltinNlu) -> None:
    assert decide(engine, "小区门口新开的奶茶店好喝吗").kind == "fallback"


@pytest.mark.parametrize("text", ["我家猫咪走丢了怎么办", "宠物狗怎么办证"])
def test_a_short_question_no_remit_names_is_not_referred_by_one_word(
    engine: BuiltinNlu, text: str
) -> None:
    # No department handles pets: a question word (怎么办) or a vector near several remits
    # must not name one; the hotline and a person are offered instead.
    decision = decide(engine, text)
    assert decision.kind == "fallback" and decision.referral is None


@pytest.mark.parametrize(
    ("text", "department"),
    [
        (
            "领导好，我在公司干了三年，上个月突然被通知不用来了，一分钱补偿也没有，这合理吗？",
            LABOUR,
        ),
        ("孩子在外地打工被人骗了两万块钱，对方电话已经打不通了，请问我们该找谁", POLICE),
    ],
)
def test_a_citizens_account_in_everyday_words_is_referred_to_its_department(
    engine: BuiltinNlu, text: str, department: DirectoryDepartment
) -> None:
    # No remit word (辞退, 诈骗) is used, yet the letter tells a department's matter: the citizen
    # is told where to go instead of being sent to the hotline.
    decision = decide(engine, text)
    assert decision.kind == "route" and decision.referral == department


@pytest.mark.parametrize(
    "text",
    ["什么牌子的太阳镜比较好啊。想买个送朋友。", "广东海洋大学的计算机科学与技术专业怎么样？"],
)
def test_an_everyday_question_of_some_length_stays_with_the_hotline(
    engine: BuiltinNlu, text: str
) -> None:
    decision = decide(engine, text)
    assert decision.kind == "fallback" and decision.referral is None


@pytest.mark.parametrize(
    "text",
    [
        "你好，附近有什么好吃的",  # a greeting and a place: chat, not a letter
        "你好，请问最近天气怎么样",
        "你好，去年的年终奖发了吗",
        "哈" * 32,  # length alone is not a letter
        "1234567890" * 4,
    ],
)
def test_chat_that_greets_and_long_noise_are_not_referred(engine: BuiltinNlu, text: str) -> None:
    decision = decide(engine, text)
    assert decision.kind != "route" and decision.referral is None


def test_personal_numbers_are_masked_and_do_not_hide_the_entry(engine: BuiltinNlu) -> None:
    decision = decide(engine, "我身份证330102199001011234丢了怎么补办，电话13812345678")
    assert "330102********1234" in decision.masked_text
    assert "138****5678" in decision.masked_text
    assert "199001011234" not in decision.masked_text
    assert decision.kind in ("answer", "clarify")
    assert decision.candidates[0].code == "GA-0001"


def test_asking_to_cancel_what_an_entry_explains_how_to_apply_for_is_not_answered(
    engine: BuiltinNlu,
) -> None:
    # Same frame as 失业保险金怎么申领？, another operation: the entry does not answer it.
    decision = decide(engine, "失业保险金不想领了，怎么申请停发")
    assert decision.kind != "answer"


def test_police_matters_are_referred_to_the_police(engine: BuiltinNlu) -> None:
    decision = decide(engine, "有人冒充客服诈骗，骗走了我的钱，该怎么报警")
    assert decision.referral == POLICE


def test_a_question_about_another_city_points_to_that_citys_hotline() -> None:
    engine = BuiltinNlu(NluSettings(jurisdiction="云溪县"))
    engine.load(snapshot())
    decision = decide(engine, "上海的公积金怎么提取？")
    assert decision.kind == "fallback"
    assert decision.elsewhere == "上海" and decision.jurisdiction == "云溪县"
    local = decide(engine, "云溪县的公积金怎么提取？")
    assert local.kind in ("answer", "clarify") and local.elsewhere is None


def test_how_to_complain_is_answered_when_the_kb_says_how(engine: BuiltinNlu) -> None:
    complaint = KbItem("SC-0008", "食品安全问题怎么投诉举报？", "拨打12315投诉。", "县市场监管局")
    with_complaints = BuiltinNlu(NluSettings())
    with_complaints.load(snapshot((*ITEMS, complaint)))
    asked = decide(with_complaints, "食品安全问题怎么投诉举报？")
    assert asked.kind == "answer" and asked.item is not None and asked.item.code == "SC-0008"
    told = decide(with_complaints, "我要投诉楼下饭店油烟扰民")
    assert told.kind == "intent" and told.intent == "complaint" and told.handover


def test_near_duplicate_entries_are_offered_together_even_for_an_exact_question() -> None:
    twin = KbItem("GA-0101", "身份证丢失了怎么补办？", "同上，另可网上预约。", "县公安局")
    engine = BuiltinNlu(NluSettings())
    engine.load(snapshot((*ITEMS, twin)))
    decision = decide(engine, "身份证丢了怎么补办？")
    assert decision.kind == "clarify"
    assert [c.code for c in decision.candidates][:2] == ["GA-0001", "GA-0101"]
