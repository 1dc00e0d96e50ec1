"""Normalisation: what the engine matches on, whatever script or width the citizen types."""

from __future__ import annotations

from nlu.normalize import match_form, normalize


def test_full_width_letters_and_digits_become_half_width() -> None:
    assert normalize("ＡＢＣ１２３　驾驶证") == "abc123 驾驶证"


def test_traditional_chinese_becomes_simplified() -> None:
    assert normalize("身份證遺失了怎麼補辦") == "身份证遗失了怎么补办"


def test_case_and_whitespace_are_folded() -> None:
    assert normalize("  App   下载\t地址 ") == "app 下载 地址"


def test_match_form_drops_punctuation_and_emoji() -> None:
    assert match_form("社保卡😭丢了！！怎么办？？ 🙏") == "社保卡丢了怎么办"


def test_match_form_of_only_symbols_is_empty() -> None:
    assert match_form("？？！👍👍") == ""
