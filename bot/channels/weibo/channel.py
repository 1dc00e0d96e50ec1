"""The Weibo channel (微博粉丝服务平台): pushed private messages in, passive or reply API out."""

from __future__ import annotations

import httpx
from fastapi import APIRouter

from bot.channels.base import Channel, Reply, SendOutcome
from bot.channels.parts import PushedParts
from bot.channels.pushed.answering import Answering
from bot.channels.pushed.replay_guard import ReplayGuard
from bot.channels.weibo.inbound import CHANNEL
from bot.channels.weibo.messages_api import MessagesApi, message_parts
from bot.channels.weibo.settings import WeiboSettings
from bot.channels.weibo.webhook import Webhook, webhook_router


class WeiboChannel(Channel):
    """Serves `/weibo/{account}` for every account in `settings.weibo.accounts`."""

    name = CHANNEL

    def __init__(self, runtime: PushedParts, settings: WeiboSettings) -> None:
        self._http = httpx.AsyncClient(timeout=settings.api_timeout_seconds)
        tokens = {code: a.access_token.get_secret_value() for code, a in settings.accounts.items()}
        self._messages = MessagesApi(self._http, settings.message_api_base_url, tokens)
        self._answering = Answering(
            runtime,
            self._messages,
            budget_seconds=settings.passive_reply_seconds,
            parts=message_parts,
            channel=CHANNEL,
        )
        guard = ReplayGuard(
            runtime.state,
            window_seconds=settings.signature_window_seconds,
            prefix=CHANNEL,
            millis=True,
        )
        self._webhook = Webhook(runtime.knowledge, dict(settings.accounts), self._answering, guard)

    def router(self) -> APIRouter:
        return webhook_router(self._webhook)

    async def stop(self) -> None:
        await self._answering.drain()
        await self._http.aclose()

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        """A private message through the reply API (staff replies, late answers)."""
        return await self._messages.send_text(
            account=account, citizen_id=citizen_id, text=reply.text
        )
