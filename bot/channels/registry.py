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
    settings = runtime.settings
    channels: list[Channel] = [WebChatChannel(runtime, default_account=settings.default_account)]
    if settings.wechat.accounts:
        channels.append(WeChatChannel(runtime, settings.wechat, redis_url=settings.redis_url))
    if settings.telegram.accounts:
        channels.append(
            TelegramChannel(
                runtime, settings.telegram, session_seconds=settings.pipeline.session_hours * 3600
            )
        )
    if settings.weibo.accounts:
        channels.append(WeiboChannel(runtime, settings.weibo))
    return channels
