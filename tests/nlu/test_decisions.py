"""Each kind of decision the built-in engine makes, as a citizen would notice it."""

from __future__ import annotations

from nlu.builtin import BuiltinNlu
from tests.nlu.engine import decide
from tests.nlu.kb import HOUSING, LABOUR, POLICE


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


def test_synonym_finds_the_entry_worded_differently(engine: BuiltinNlu) -> None:
    # The entry says 住房公积金; citizens say 公积金.
    decision = decide(engine, "公积金怎么提取")
    assert decision.kind == "answer"
    assert decision.item is not None and decision.item.code == "GJ-0001"


def test_a_vague_question_offers_choices(engine: BuiltinNlu) -> None:
    decision = decide(engine, "丢了怎么补办")
    assert decision.kind == "clarify"
    assert [c.code for c in decision.candidates] == ["GA-0001", "RS-0001"]
    assert decision.pending == ("GA-0001", "RS-0001")
    assert decision.candidates[0].confidence >= decision.candidates[1].confidence


def test_replying_with_a_number_picks_that_choice(engine: BuiltinNlu) -> None:
    pending = decide(engine, "丢了怎么补办").pending
    second = decide(engine, "2", pending=pending)
    assert second.kind == "answer"
    assert second.item is not None and second.item.code == "RS-0001"
    first = decide(engine, "第一个", pending=pending)
    assert first.item is not None and first.item.code == "GA-0001"


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


def test_an_everyday_question_sharing_one_word_with_a_remit_is_not_referred(
    engine: BuiltinNlu,
) -> None:
    # 小区 is housing's word, but a question about a milk-tea shop is nobody's business.
    assert decide(engine, "小区门口新开的奶茶店好喝吗").kind == "fallback"
    # Two of housing's words in as short a message: that is a housing matter.
    decision = decide(engine, "小区电梯坏了没人修")
    assert decision.kind == "route" and decision.referral == HOUSING


def test_personal_numbers_are_masked_and_do_not_hide_the_entry(engine: BuiltinNlu) -> None:
    decision = decide(engine, "我身份证330102199001011234丢了怎么补办，电话13812345678")
    assert "330102********1234" in decision.masked_text
    assert "138****5678" in decision.masked_text
    assert "199001011234" not in decision.masked_text
    assert decision.kind in ("answer", "clarify")
    assert decision.candidates[0].code == "GA-0001"


def test_near_miss_in_a_key_term_is_not_answered_with_that_entry(engine: BuiltinNlu) -> None:
    decision = decide(engine, "驾驶证扣分了怎么查询")
    assert decision.kind != "answer"


def test_police_matters_are_referred_to_the_police(engine: BuiltinNlu) -> None:
    decision = decide(engine, "有人冒充客服诈骗，骗走了我的钱，该怎么报警")
    assert decision.referral == POLICE
