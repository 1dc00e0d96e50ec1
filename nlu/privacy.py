"""Detect and mask personal data (ID-card, phone and bank-card numbers) in citizen messages."""

from __future__ import annotations

import re

# Digits not preceded/followed by other digits, so parts of longer numbers are not matched.
_ID_CARD = re.compile(r"(?<![0-9])([1-9][0-9]{5})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9Xx])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0[1-9][0-9]{1,2}-?)([0-9]{3,4})([0-9]{4})(?![0-9-])")
_BANK_CARD = re.compile(r"(?<![0-9])([0-9]{4})((?:[ -]?[0-9]){8,11})([ -]?[0-9]{4})(?![0-9])")


def _stars(digits: str) -> str:
    return "".join("*" if ch.isdigit() else ch for ch in digits)


def mask_personal_data(text: str) -> str:
    """Return `text` with ID-card, mobile, landline and bank-card numbers partly starred out.

    ID cards keep the region code and the last four characters (330102********1234); phones keep
    the prefix and the last four digits (138****5678); bank cards keep the first and last four.
    """
    text = _ID_CARD.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _BANK_CARD.sub(lambda m: m.group(1) + _stars(m.group(2)) + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


_MASKED = re.compile(r"[0-9]*\*{3,}[0-9]*")


def without_masked_numbers(text: str) -> str:
    """`text` with masked numbers removed: a personal number never says what is asked."""
    return _MASKED.sub(" ", text)


def contains_personal_data(text: str) -> bool:
    """True when `text` holds a number `mask_personal_data` would mask."""
    return mask_personal_data(text) != text
