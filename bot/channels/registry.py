"""Which channels run: the web chat always; WeChat, Telegram and Weibo when accounts are
configured."""

from __future__ import annotations

from bot.channels.base import Channel
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.web import WebChatChannel
from bot.channels.wechat.channel import WeChatChannel
from bot.channels.weibo.channel import WeiboChannel
from bot.runtime import Runtime


def enabled_channels(runtime: Runtime) -> list[Channel]:
    """The channel adapters to serve for these settings."""
    channels: list[Channel] = [WebChatChannel(runtime)]
    if runtime.settings.wechat.accounts:
        channels.append(WeChatChannel(runtime))
    if runtime.settings.telegram.accounts:
        channels.append(TelegramChannel(runtime))
    if runtime.settings.weibo.accounts:
        channels.append(WeiboChannel(runtime))
    return channels
