"""The `/weibo/{account}` endpoint: server-address check (GET) and private-message pushes (POST).

The signature is checked before the body is read as JSON and before anything is stored; a
forged, missing or stale signature gets 403.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from bot.channels.pushed.answering import Answering
from bot.channels.pushed.replay_guard import ReplayGuard
from bot.channels.pushed.routes import error, push_router
from bot.channels.weibo.inbound import Malformed, read_push
from bot.channels.weibo.passive_reply import text_reply
from bot.channels.weibo.settings import WeiboAccountSettings
from bot.channels.weibo.signature import Forbidden, check_signature
from handlers.live_knowledge import LiveKnowledge

log = logging.getLogger(__name__)


class Webhook:
    """Checks who is calling before anything is parsed or stored, then answers the push."""

    def __init__(
        self,
        knowledge: LiveKnowledge,
        accounts: dict[str, WeiboAccountSettings],
        answering: Answering,
        guard: ReplayGuard,
    ) -> None:
        self._knowledge = knowledge
        self._accounts = accounts
        self._answering = answering
        self._guard = guard

    def _account(self, account: str) -> WeiboAccountSettings | None:
        # Configured for Weibo and an open Weibo account in the 1+N registry.
        info = self._knowledge.account(account)
        if info is None or info.platform != "weibo":
            return None
        return self._accounts.get(account)

    async def _admit(
        self, account: str, settings: WeiboAccountSettings, request: Request, body: bytes
    ) -> None:
        check_signature(settings.app_secret.get_secret_value(), request.query_params)
        refusal = await self._guard.refusal(account, request.query_params, body)
        if refusal is not None:
            raise Forbidden(refusal)

    async def verify(self, account: str, request: Request) -> Response:
        """Weibo's server-address check: echo echostr when the signature is right."""
        settings = self._account(account)
        if settings is None:
            return error(404, f"账号 {account} 未接入微博")
        echo = request.query_params.get("echostr", "")
        try:
            await self._admit(account, settings, request, echo.encode())
        except Forbidden as exc:
            log.warning("weibo URL check for %s refused: %s", account, exc)
            return error(403, "签名校验失败")
        return PlainTextResponse(echo)

    async def receive(self, account: str, request: Request) -> Response:
        """One push: a passive reply in time, otherwise an empty 200 and the reply API later."""
        started = asyncio.get_running_loop().time()
        settings = self._account(account)
        if settings is None:
            return error(404, f"账号 {account} 未接入微博")
        body = await request.body()
        try:
            await self._admit(account, settings, request, body)
            inbound = read_push(body, account=account, uid=settings.uid)
        except Forbidden as exc:
            log.warning("weibo push for %s refused: %s", account, exc)
            return error(403, "签名校验失败")
        except Malformed as exc:
            log.warning("weibo push for %s malformed: %s", account, exc)
            return error(400, "消息格式不正确")
        text = await self._answering.answer(inbound.message, account=account, started=started)
        if text is None:
            return PlainTextResponse("")
        return JSONResponse(text_reply(inbound, text))


def webhook_router(webhook: Webhook) -> APIRouter:
    """Routes of the channel."""
    return push_router("/weibo", verify=webhook.verify, receive=webhook.receive)
