"""A comment's text as the engine should read it: no HTML, no "回复@someone:" prefix, bounded.

Weibo renders links, mentions and emoticons as markup inside `text`; WeChat comments are plain.
"""

from __future__ import annotations

import html
import re

MAX_CHARS = 1000  # Weibo comments stop at 140 characters, WeChat's at 600; room to spare

_TAG = re.compile(r"<[^>]{0,500}>")
_REPLY_PREFIX = re.compile(r"^\s*回复\s*@[^:：\s]{1,30}\s*[:：]\s*")
_SPACE = re.compile(r"\s+")


def plain_comment(text: str) -> str:
    """The readable words of a comment."""
    text = html.unescape(_TAG.sub(" ", text[: MAX_CHARS * 4]))
    text = _REPLY_PREFIX.sub("", text)
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]
