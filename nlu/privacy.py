"""Detect and mask personal data (ID-card, phone and bank-card numbers) in citizen messages.

Numbers are found in every common written form: full-width digits, spaces or dashes between
groups, and phone numbers with a country code (+86, 0086, 86) — phone numbers by Google's
libphonenumber (`phonenumbers`, region CN), the rest by pattern. Masking never depends on a
checksum: a mistyped number is still someone's number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

# Full-width forms citizens' input methods produce, mapped one to one so positions stay the same.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋－（）　Ｘｘ", "0123456789+-() Xx")
# Digits not preceded/followed by other digits, so parts of longer numbers are not matched.
_ID_CARD = re.compile(r"(?<![0-9*])[1-9][0-9]{5}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx](?![0-9Xx])")
_BANK_CARD = re.compile(r"(?<![0-9*])(?:[0-9][ -]?){12,15}[0-9]{4}(?![0-9])")
# What libphonenumber may not know yet (new mobile prefixes) still looks like a mobile.
_MOBILE = re.compile(r"(?<![0-9*])1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9*])0[1-9][0-9]{1,2}-?[0-9]{7,8}(?![0-9-])")
_DIGIT = re.compile("[0-9]")


def _star(work: list[str], start: int, end: int, *, keep_head: int, keep_tail: int) -> None:
    """Star the digits in work[start:end] except the first `keep_head` and last `keep_tail`."""
    digits = [i for i in range(start, end) if work[i].isdigit() or work[i] in "Xx"]
    for i in digits[keep_head : len(digits) - keep_tail]:
        work[i] = "*"


def _phones(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, digits to keep in front) of each phone number libphonenumber finds."""
    for match in phonenumbers.PhoneNumberMatcher(text, "CN", leniency=phonenumbers.Leniency.VALID):
        national = phonenumbers.national_significant_number(match.number)
        written = len(_DIGIT.findall(match.raw_string))
        # Country code and trunk 0 stay, then the area code or the mobile prefix.
        area = phonenumbers.length_of_geographical_area_code(match.number) or 3
        yield match.start, match.end, written - len(national) + area


def mask_personal_data(text: str) -> str:
    """Return `text` with ID-card, phone and bank-card numbers partly starred out.

    ID cards keep the region code and the last four characters (330102********1234); phones keep
    the country code, the prefix or area code and the last four digits (138****5678,
    +86139****5678, 0578-***3456); bank cards keep only the last four digits.
    """
    work = list(text.translate(_HALF_WIDTH))
    for found in _ID_CARD.finditer("".join(work)):
        _star(work, found.start(), found.end(), keep_head=6, keep_tail=4)
    for found in _BANK_CARD.finditer("".join(work)):
        _star(work, found.start(), found.end(), keep_head=0, keep_tail=4)
    for start, end, head in list(_phones("".join(work))):
        _star(work, start, end, keep_head=head, keep_tail=4)
    for found in _MOBILE.finditer("".join(work)):
        _star(work, found.start(), found.end(), keep_head=3, keep_tail=4)
    for found in _LANDLINE.finditer("".join(work)):
        area = len(found.group().split("-")[0]) if "-" in found.group() else 4
        _star(work, found.start(), found.end(), keep_head=area, keep_tail=4)
    return "".join("*" if w == "*" and c != "*" else c for c, w in zip(text, work, strict=True))


_MASKED = re.compile(r"[0-9]*\*{3,}[0-9]*")


def without_masked_numbers(text: str) -> str:
    """`text` with masked numbers removed: a personal number never says what is asked."""
    return _MASKED.sub(" ", text)
