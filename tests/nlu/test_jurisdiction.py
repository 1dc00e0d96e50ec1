"""Questions about another place are recognised; local ones, and ordinary words, are not."""

from __future__ import annotations

import pytest

from nlu.jurisdiction import build_jurisdiction, infer_jurisdiction, short_name
from nlu.snapshot import KbItem


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("上海积分落户需要什么条件", "上海"),
        ("广州路边停车的停车费在哪个小程序交？", "广州"),
        ("杭州养犬登记证丢了，去哪补办？", "杭州"),
        ("天津市区路边停车怎么收费？", "天津市"),
        ("桐庐县的医保怎么交", "桐庐县"),
        ("吉林的公积金能贷多少", "吉林"),
    ],
)
def test_another_city_or_province_is_named(text: str, place: str) -> None:
    jurisdiction, gazetteer = build_jurisdiction("北京市")
    assert jurisdiction.elsewhere(text, gazetteer) == place


@pytest.mark.parametrize(
    "text",
    [
        "北京居住证丢了去哪补领",
        "在海淀区怎么办社保卡",
        "朝阳的公租房怎么申请",  # Beijing's 朝阳, not Liaoning's
        "我在上海交的社保，回北京了怎么转",  # names a local place too
        "驾驶车辆在城区道路行进时遭遇雷电天气怎么办",  # 城区 is a word here
        "春天想去郊区挖点野菜吃，要注意什么",
        "中山公园的门票多少钱",  # a park named after a place
        "身份证丢了怎么补办",
    ],
)
def test_local_or_placeless_questions_are_not_elsewhere(text: str) -> None:
    jurisdiction, gazetteer = build_jurisdiction("北京市")
    assert jurisdiction.elsewhere(text, gazetteer) is None


def test_a_county_unknown_to_the_divisions_file_still_knows_its_own_name() -> None:
    jurisdiction, gazetteer = build_jurisdiction("云溪县", aliases=["溪川镇"])
    assert jurisdiction.elsewhere("云溪县身份证怎么补办", gazetteer) is None
    assert jurisdiction.elsewhere("云溪的公积金怎么取", gazetteer) is None
    assert jurisdiction.elsewhere("溪川镇的医保在哪交", gazetteer) is None
    assert jurisdiction.elsewhere("上海积分落户", gazetteer) == "上海"


def test_short_names_drop_level_and_nationality() -> None:
    assert short_name("浙江省") == "浙江"
    assert short_name("广西壮族自治区") == "广西"
    assert short_name("恩施土家族苗族自治州") == "恩施"
    assert short_name("海淀区") == "海淀"


def test_jurisdiction_is_inferred_from_department_names_then_from_mentions() -> None:
    county = [
        KbItem("A", "身份证怎么办", "……", "云溪县公安局"),
        KbItem("B", "医保怎么交", "……", "云溪县医疗保障局"),
    ]
    assert infer_jurisdiction(county) == "云溪县"
    beijing = [
        KbItem(f"K{i}", f"北京市第{i}项业务怎么办", "本市居民可在北京市政务服务网办理。", "某局")
        for i in range(15)
    ]
    assert infer_jurisdiction(beijing) == "北京市"
    assert infer_jurisdiction([KbItem("X", "怎么办", "这样办。", "某局")]) is None
