"""The WeChat official-account channel (微信公众号): webhook in, passive or customer-service out."""

from __future__ import annotations

import asyncio

import redis
from fastapi import APIRouter

from bot.channels.base import Channel, Reply, SendOutcome
from bot.channels.parts import PushedParts
from bot.channels.pushed.answering import Answering
from bot.channels.pushed.replay_guard import ReplayGuard
from bot.channels.wechat.api_client import build_clients
from bot.channels.wechat.customer_service import CustomerService
from bot.channels.wechat.envelope import Envelope
from bot.channels.wechat.settings import WeChatSettings
from bot.channels.wechat.webhook import Webhook, webhook_router
from handlers.log_redaction import redact_library_logs
from handlers.text_parts import split_text


class WeChatChannel(Channel):
    """Serves `/wechat/{account}` for every account in `settings.wechat.accounts`."""

    name = "wechat"

    def __init__(
        self, runtime: PushedParts, settings: WeChatSettings, *, redis_url: str | None
    ) -> None:
        redact_library_logs()
        # Synchronous client: wechatpy's token storage is called from worker threads.
        self._redis = redis.Redis.from_url(redis_url) if redis_url else None
        self._customer_service = CustomerService(build_clients(settings, self._redis))
        self._answering = Answering(
            runtime,
            self._customer_service,
            budget_seconds=settings.passive_reply_seconds,
            parts=split_text,
            channel="wechat",
            feedback_hint=settings.feedback_hint,
        )
        envelopes = {code: Envelope(account) for code, account in settings.accounts.items()}
        guard = ReplayGuard(runtime.state, window_seconds=settings.signature_window_seconds)
        self._webhook = Webhook(runtime.knowledge, envelopes, self._answering, guard)

    def router(self) -> APIRouter:
        return webhook_router(self._webhook)

    async def stop(self) -> None:
        await self._answering.drain()
        if self._redis is not None:
            await asyncio.to_thread(self._redis.close)

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        """A customer-service message; fails (without raising) once the 48-hour window closed."""
        return await self._customer_service.send_text(
            account=account, citizen_id=citizen_id, text=reply.text
        )
