"""Building the comment desk from the settings: one source per platform with accounts."""

from __future__ import annotations

import httpx
import redis

from bot.channels.comments.desk import CommentDesk
from bot.channels.comments.source import CommentSource
from bot.channels.parts import CommentParts
from bot.channels.pushed.answering import Sender
from bot.channels.wechat.api_client import build_clients
from bot.channels.wechat.comments_api import WeChatComments
from bot.channels.wechat.customer_service import CustomerService
from bot.channels.weibo.comments_api import WeiboComments
from bot.channels.weibo.messages_api import MessagesApi
from bot.settings import Settings


def build_desk(
    runtime: CommentParts, settings: Settings, client: httpx.AsyncClient
) -> CommentDesk | None:
    """The desk for the configured accounts, or None when no account's comments are polled."""
    sources: list[CommentSource] = []
    private: dict[str, Sender] = {}
    weibo = settings.weibo
    if any(a.comments for a in weibo.accounts.values()):
        sources.append(WeiboComments(client, weibo))
        tokens = {c: a.access_token.get_secret_value() for c, a in weibo.accounts.items()}
        private["weibo"] = MessagesApi(client, weibo.message_api_base_url, tokens)
    wechat = settings.wechat
    if any(a.comment_articles for a in wechat.accounts.values()):
        redis_url = settings.redis_url
        clients = build_clients(wechat, redis.Redis.from_url(redis_url) if redis_url else None)
        sources.append(WeChatComments(clients, wechat))
        private["wechat"] = CustomerService(clients)
    return CommentDesk(runtime, sources, private) if sources else None
