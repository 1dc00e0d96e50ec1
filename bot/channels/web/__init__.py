"""The web chat: a JSON API and a small responsive chat page."""

from bot.channels.web.channel import WebChatChannel

__all__ = ["WebChatChannel"]
