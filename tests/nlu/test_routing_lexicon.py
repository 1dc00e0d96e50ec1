"""Routing: everyday words for remit topics, departments' aliases and own words, and
knowledge-base departments mapped by name."""

from __future__ import annotations

import dataclasses

from nlu.builtin import BuiltinNlu
from nlu.jurisdiction import build_jurisdiction
from nlu.registry import create_nlu
from nlu.routing import DepartmentRouter, _name_similarity, name_noise
from nlu.routing_lexicon import expansion
from nlu.segment import Segmenter
from nlu.settings import NluSettings
from nlu.snapshot import Directory, DirectoryDepartment, KbSnapshot
from tests.nlu.engine import decide
from tests.nlu.kb import HOUSING, ITEMS, LABOUR, POLICE, project_synonyms

EDUCATION = DirectoryDepartment(name="县教育局", remit="中小学入学、学籍、教师管理、学校收费")
ENVIRONMENT = DirectoryDepartment(name="市生态环境局县分局", remit="大气污染、噪声污染、工厂排污")


def test_a_remit_topic_brings_the_words_citizens_use() -> None:
    words = expansion(EDUCATION.remit).split()
    assert "老师" in words and "班主任" in words
    assert expansion("与任何话题无关的文字") == ""


# A city-management unit whose remit names none of the words citizens call it by.
CITY = DirectoryDepartment(name="县综合行政执法局", remit="流动摊贩、户外广告招牌、渣土运输")


def _router(*departments: DirectoryDepartment) -> DepartmentRouter:
    return DepartmentRouter(Directory(departments=departments), (), (), Segmenter(set(), {}))


def test_a_message_calling_a_department_by_its_alias_goes_there() -> None:
    called = dataclasses.replace(CITY, aliases=("城管", "城管局"))
    for text in ("我要投诉城管乱收费", "城管把我的摊子收走了"):
        guess = _router(POLICE, LABOUR, called).guess(text)
        assert guess is not None and guess.department == called, text
        assert _router(POLICE, LABOUR, CITY).guess(text) is None


def test_a_short_message_about_a_matter_only_one_remit_names_is_referred() -> None:
    # The police remit names passports among many matters: one word, yet not a coincidence.
    police = dataclasses.replace(
        POLICE, remit=f"{POLICE.remit}、出入境证件（护照、港澳通行证）、无犯罪记录证明"
    )
    guess = _router(police, LABOUR, HOUSING).guess("护照怎么办")
    assert guess is not None and guess.department == police
    # A word no remit of the county writes is still not enough on its own.
    assert _router(police, LABOUR, HOUSING).guess("银行卡怎么办") is None


def test_a_kb_department_maps_by_its_core_name() -> None:
    culture = "县文化和广电旅游体育局"
    plain = name_noise(())
    assert _name_similarity("体育局", culture, plain) > _name_similarity(
        "体育局", "县教育局", plain
    )
    # The jurisdiction's place names (from the places data) say nothing about the business.
    beijing, _ = build_jurisdiction("北京市")
    local = name_noise(beijing.local_names)
    for label in (
        "北京市人力资源和社会保障局",
        "海淀区人力资源和社会保障局",
    ):
        assert _name_similarity(label, LABOUR.name, plain) < 0.75
        assert _name_similarity(label, LABOUR.name, local) == 1.0


def test_letters_in_everyday_words_reach_the_right_department() -> None:
    engine = create_nlu("builtin", NluSettings())
    directory = Directory(departments=(POLICE, LABOUR, EDUCATION, ENVIRONMENT))
    engine.load(KbSnapshot(synonyms=project_synonyms(), items=ITEMS, directory=directory))
    teacher = decide(engine, "孩子的班主任经常体罚学生，家长很担心")
    assert teacher.referral == EDUCATION
    smell = decide(engine, "附近化工厂晚上偷偷排放废气，刺鼻的臭味让人睡不着")
    assert smell.referral == ENVIRONMENT


def test_a_kb_label_without_a_matching_name_joins_by_its_entries_or_not_at_all() -> None:
    # A Beijing knowledge base: 北京市 in a label names the jurisdiction, not a business.
    engine = create_nlu("builtin", NluSettings(jurisdiction="北京市"))
    directory = Directory(departments=(POLICE, LABOUR, EDUCATION))
    engine.load(KbSnapshot(synonyms=project_synonyms(), items=ITEMS, directory=directory))
    assert isinstance(engine, BuiltinNlu)
    router = engine._state.router
    police_like = {"身份证": 0.7, "户口": 0.7}
    remits = [router._vector(router._words(d.remit)) for d in directory.departments]
    assert router._map_label("交管局", police_like, remits) == 0
    assert router._map_label("首都之窗", {"天气": 1.0}, remits) is None
    assert router._map_label("北京市教育委员会", {}, remits) == 2
