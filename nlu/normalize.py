"""Text normalisation before matching: width, script, case, whitespace, punctuation and emoji."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACES = re.compile(r"\s+")
# Anything that is not a letter, digit or CJK character (punctuation, symbols, emoji) is noise for
# matching; the displayed text keeps it.
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Readable canonical form: half-width, Simplified Chinese, lower case, single spaces."""
    # NFKC folds full-width letters, digits and punctuation to their half-width forms.
    text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip().lower()


def match_form(text: str) -> str:
    """Normalised text with punctuation, symbols, emoji and spaces removed, for matching only."""
    return _NOT_WORD.sub("", normalize(text))
