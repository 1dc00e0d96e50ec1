"""How an answer will look on each channel: the same words, cut to each platform's limits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.telegram.render import MAX_UNITS
from bot.channels.telegram.render import split as telegram_split
from handlers.text_parts import MAX_TEXT_BYTES, split_text


@dataclass(frozen=True, slots=True)
class ChannelPreview:
    """The messages a citizen receives on one channel."""

    channel: str
    limit: str
    parts: tuple[str, ...]


def previews(answer: str) -> list[ChannelPreview]:
    """WeChat (2048 bytes a message), Telegram (4096 characters) and the web chat (one bubble)."""
    text = answer or "（答案为空，不能发布）"
    return [
        ChannelPreview("微信公众号", f"每条不超过 {MAX_TEXT_BYTES} 字节", tuple(split_text(text))),
        ChannelPreview("Telegram", f"每条不超过 {MAX_UNITS} 字符", tuple(telegram_split(text))),
        ChannelPreview("网站在线咨询", "整段显示", (text,)),
    ]
