"""Grouping unanswered wordings by character-bigram similarity."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console.unanswered import closest_entries, entry_choice, group_questions
from knowledge_base.unanswered import Asked
from nlu.normalize import match_form

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def asked(text: str, decision: str = "fallback") -> Asked:
    return Asked(text, decision, 1, "云溪县公安局", AT)


def test_similar_wordings_share_a_group_and_different_ones_do_not() -> None:
    groups = group_questions(
        [
            asked("宠物狗怎么办证"),
            asked("宠物狗怎么办证？"),
            asked("请问宠物狗怎么办证", "clarify"),
            asked("公积金能取出来装修吗", "route"),
        ],
        dismissed=set(),
    )
    assert [g.count for g in groups] == [3, 1]
    assert groups[0].text == "宠物狗怎么办证"
    assert groups[0].decisions == {"fallback": 2, "clarify": 1}
    assert groups[1].text == "公积金能取出来装修吗"


def test_dismissed_wordings_are_left_out() -> None:
    groups = group_questions(
        [asked("宠物狗怎么办证"), asked("你是机器人吗")], dismissed={match_form("你是机器人吗")}
    )
    assert [g.text for g in groups] == ["宠物狗怎么办证"]


def test_the_closest_published_entries_are_offered_for_a_wording() -> None:
    choices = [
        entry_choice("SB-0001", "社保卡丢了怎么补办", ["社保卡遗失补领"]),
        entry_choice("GA-0002", "身份证丢了怎么补办？", ["身份证遗失了如何补领"]),
        entry_choice("JY-0001", "孩子几岁上小学", []),
    ]
    closest = closest_entries("身份证掉了怎么补办", choices)
    assert [c.code for c in closest] == ["GA-0002", "SB-0001"], "no overlap, no offer"
