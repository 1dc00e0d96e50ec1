"""Personal data is masked before anything else sees the message."""

from __future__ import annotations

import pytest

from nlu.privacy import mask_personal_data


def test_id_card_keeps_region_and_last_four() -> None:
    assert mask_personal_data("身份证330102199001011234") == "身份证330102********1234"


def test_id_card_with_x_check_digit() -> None:
    assert mask_personal_data("号码11010519491231002X。") == "号码110105********002X。"


def test_mobile_keeps_prefix_and_last_four() -> None:
    assert mask_personal_data("电话13812345678，谢谢") == "电话138****5678，谢谢"


def test_landline_is_masked() -> None:
    assert mask_personal_data("座机0578-5123456") == "座机0578-***3456"


def test_ordinary_numbers_are_left_alone() -> None:
    text = "2021年6月3日交了1500元，工单号12345"
    assert mask_personal_data(text) == text


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("+8613912345678", "+86139****5678"),
        ("8613912345678", "86139****5678"),
        ("0086 13912345678", "0086 139****5678"),
        ("+86 139 1234 5678", "+86 139 **** 5678"),
        ("(+86)13912345678", "(+86)139****5678"),
        ("139 1234 5678", "139 **** 5678"),
        ("139-1234-5678", "139-****-5678"),
        ("１３９１２３４５６７８", "１３９****５６７８"),
        ("电话：１３９－１２３４－５６７８。", "电话：１３９－****－５６７８。"),
        ("19912345678", "199****5678"),
        ("010-12345678", "010-****5678"),
        ("身份证３３０１０２１９９００１０１１２３４", "身份证３３０１０２********１２３４"),
        ("身份证330102 19900101 1234", "身份证330102 ******** 1234"),
        ("１１０１０５１９４９１２３１００２Ｘ", "１１０１０５********００２Ｘ"),
        ("卡号6222021234567890123", "卡号***************0123"),
        ("6222 0212 3456 7890", "**** **** **** 7890"),
        ("6222-0212-3456-7890", "****-****-****-7890"),
        ("６２２２０２１２３４５６７８９０", "************７８９０"),
    ],
)
def test_every_written_form_is_masked(written: str, masked: str) -> None:
    assert mask_personal_data(written) == masked


@pytest.mark.parametrize(
    "text",
    ["拨打12345热线咨询", "订单号20211203", "2021-2023年的补贴", "共1500元", "第３页"],
)
def test_ordinary_numbers_in_any_form_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text
