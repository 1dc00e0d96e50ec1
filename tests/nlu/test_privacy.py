"""Personal data is masked before anything else sees the message."""

from __future__ import annotations

from nlu.privacy import contains_personal_data, mask_personal_data


def test_id_card_keeps_region_and_last_four() -> None:
    assert mask_personal_data("身份证330102199001011234") == "身份证330102********1234"


def test_id_card_with_x_check_digit() -> None:
    assert mask_personal_data("号码11010519491231002X。") == "号码110105********002X。"


def test_mobile_keeps_prefix_and_last_four() -> None:
    assert mask_personal_data("电话13812345678，谢谢") == "电话138****5678，谢谢"


def test_landline_is_masked() -> None:
    assert mask_personal_data("座机0578-5123456") == "座机0578-***3456"


def test_bank_card_keeps_first_and_last_four() -> None:
    assert mask_personal_data("卡号6222021234567890123") == "卡号6222***********0123"


def test_bank_card_with_spaces() -> None:
    assert mask_personal_data("6222 0212 3456 7890") == "6222 **** **** 7890"


def test_ordinary_numbers_are_left_alone() -> None:
    text = "2021年6月3日交了1500元，工单号12345"
    assert mask_personal_data(text) == text
    assert not contains_personal_data(text)
