"""Word segmentation with a private jieba tokenizer and synonym canonicalisation."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping

import jieba

from nlu.normalize import match_form

jieba.setLogLevel(logging.WARNING)

# Words that carry no topic: particles, pronouns and politeness. Question words stay, since
# "where" vs "how much" changes what is asked.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "哦",
        "噢",
        "么",
        "是",
        "在",
        "有",
        "和",
        "与",
        "及",
        "或",
        "我",
        "你",
        "您",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "请问",
        "请",
        "问",
        "想",
        "想问",
        "一下",
        "下",
        "那",
        "这",
        "这个",
        "那个",
        "就",
        "都",
        "也",
        "还",
        "又",
        "被",
        "把",
        "给",
        "对",
        "从",
        "向",
        "到",
        "个",
        "一个",
        "谢谢",
        "你好",
        "您好",
        "麻烦",
        "咨询",
        "问一下",
        "请教",
        "一",
        "下",
        "啦",
        "哈",
        "噶",
        "呐",
        "嗯",
        "额",
    ]
)
_BASE_LOCK = threading.Lock()
_base: jieba.Tokenizer | None = None
_USER_WORD_FREQ = 200_000


def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's bundled dictionary, loaded once per process (no network: the dict ships with it)."""
    global _base
    with _BASE_LOCK:
        if _base is None:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _base = tokenizer
        return _base


class Segmenter:
    """Splits normalised text into canonical words; one instance per knowledge-base snapshot."""

    def __init__(self, user_words: Iterable[str], synonyms: Mapping[str, str]) -> None:
        base = _base_tokenizer()
        # A private tokenizer sharing nothing mutable with the base: user words of an old
        # snapshot never leak into a new one.
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
        for word in sorted(set(user_words) | set(synonyms)):
            if len(word) > 1:
                tokenizer.add_word(word, _USER_WORD_FREQ)
        self._tokenizer = tokenizer
        self._synonyms = dict(synonyms)

    def words(self, text: str) -> list[str]:
        """Canonical words of `text` (punctuation and emoji removed, synonyms mapped)."""
        form = match_form(text)
        if not form:
            return []
        result: list[str] = []
        for word in self._tokenizer.lcut(form, HMM=True):
            result.append(self._synonyms.get(word, word))
        return result

    @staticmethod
    def content(words: Iterable[str]) -> list[str]:
        """The words that carry topic: stopwords dropped."""
        return [w for w in words if w not in STOPWORDS]
