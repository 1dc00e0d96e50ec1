"""The `/wechat/{account}` endpoint: URL verification (GET) and message pushes (POST)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from bot.channels.pushed.answering import Answering
from bot.channels.pushed.replay_guard import ReplayGuard
from bot.channels.pushed.routes import error, push_router
from bot.channels.wechat.envelope import Envelope, Forbidden, Malformed
from bot.channels.wechat.inbound import NotAMessage, read_push
from bot.channels.wechat.passive_reply import SUCCESS, text_reply_xml
from handlers.live_knowledge import LiveKnowledge

log = logging.getLogger(__name__)


class Webhook:
    """Checks who is calling before anything is parsed or stored, then answers the push."""

    def __init__(
        self,
        knowledge: LiveKnowledge,
        envelopes: dict[str, Envelope],
        answering: Answering,
        guard: ReplayGuard,
    ) -> None:
        self._knowledge = knowledge
        self._envelopes = envelopes
        self._answering = answering
        self._guard = guard

    async def _admit(self, account: str, envelope: Envelope, request: Request, body: bytes) -> None:
        """Signature first, then the replay checks; raises Forbidden."""
        envelope.check_signature(request.query_params)
        refusal = await self._guard.refusal(account, request.query_params, body)
        if refusal is not None:
            raise Forbidden(refusal)

    def _envelope(self, account: str) -> Envelope | None:
        # Configured for WeChat and still an open account in the registry.
        if self._knowledge.account(account) is None:
            return None
        return self._envelopes.get(account)

    async def verify(self, account: str, request: Request) -> Response:
        """WeChat's server-address check: echo echostr when the signature is right."""
        envelope = self._envelope(account)
        if envelope is None:
            return error(404, f"账号 {account} 未接入微信公众号")
        echo = request.query_params.get("echostr", "")
        try:
            await self._admit(account, envelope, request, echo.encode())
            return PlainTextResponse(envelope.verify_url(request.query_params))
        except Forbidden as exc:
            log.warning("wechat URL check for %s refused: %s", account, exc)
            return error(403, "签名校验失败")

    async def receive(self, account: str, request: Request) -> Response:
        """One push: a passive reply in time, otherwise "success" and a customer-service message."""
        started = asyncio.get_running_loop().time()
        envelope = self._envelope(account)
        if envelope is None:
            return error(404, f"账号 {account} 未接入微信公众号")
        query = request.query_params
        body = await request.body()
        try:
            await self._admit(account, envelope, request, body)
            opened = envelope.open(query, body)
            inbound = read_push(opened.xml, account=account)
        except Forbidden as exc:
            log.warning("wechat push for %s refused: %s", account, exc)
            return error(403, "签名校验失败")
        except (Malformed, NotAMessage) as exc:
            log.warning("wechat push for %s malformed: %s", account, exc)
            return error(400, "消息格式不正确")
        text = await self._answering.answer(inbound.message, account=account, started=started)
        if text is None:
            return PlainTextResponse(SUCCESS)
        xml = text_reply_xml(official_id=inbound.official_id, openid=inbound.openid, text=text)
        if opened.encrypted:
            xml = envelope.seal(xml, nonce=query.get("nonce", ""))
        return Response(xml, media_type="application/xml")


def webhook_router(webhook: Webhook) -> APIRouter:
    """Routes of the channel."""
    return push_router("/wechat", verify=webhook.verify, receive=webhook.receive)
