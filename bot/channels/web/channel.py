"""Web chat adapter: `POST /api/chat`, polling for human replies, and the page at `/`."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field, StrictBool

from bot.channels.base import Channel, IncomingMessage, Reply, SendOutcome
from bot.channels.parts import WebChatParts
from bot.channels.web.payload import reply_payload
from bot.http.security_headers import inline_policy
from handlers.turn import AccountInfo
from knowledge_base.conversations import find_conversation, messages_after
from knowledge_base.models import ROW_ID_MAX, Delivery, Direction, Platform

# The page is read on first use; autoescape keeps an account's name plain text.
PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html"])
)
SESSION = re.compile(r"^[0-9a-f]{32}$")
TOO_MANY = "您发送的消息过于频繁，本条未能受理，请稍后再试。"


def not_served(code: str) -> str:
    """Why the web chat does not answer for `code`."""
    return f"账号 {code} 不存在、已注销，或不是网站在线咨询账号。"


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def _page_policy(html: str) -> str:
    # The page's own inline script and style, by hash; nothing else inline may run.
    blocks = _INLINE.findall(html)
    return inline_policy(
        scripts=[body for tag, body in blocks if tag == "script"],
        styles=[body for tag, body in blocks if tag == "style"],
    )


class ChatRequest(BaseModel):
    """A citizen's message from the web page or any other HTTP client."""

    text: str = Field(default="", max_length=20_000)
    account: str | None = Field(default=None, max_length=64)
    session: str | None = Field(default=None, max_length=64)
    kind: str = Field(default="text", pattern="^(text|subscribe)$")


class FeedbackRequest(BaseModel):
    """有帮助 / 没帮助 on one answer of the session."""

    account: str | None = Field(default=None, max_length=64)
    session: str = Field(pattern=SESSION.pattern)
    reply_id: int = Field(ge=1, le=ROW_ID_MAX)
    # Strict: "yes", "1" or 1 are refused, not read as a vote.
    helpful: StrictBool


class WebChatChannel(Channel):
    """Replies come back in the HTTP response; human replies are fetched by polling."""

    name = "web"

    def __init__(self, runtime: WebChatParts, *, default_account: str) -> None:
        self.runtime = runtime
        self._default_account = default_account

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        # Staff replies are stored before delivery; the page picks them up when it polls.
        return SendOutcome(Delivery.SENT)

    def _served(self, code: str) -> AccountInfo | None:
        """An open account of the web platform: the chat is the website's window (网站), and
        each other platform's account answers on its own channel."""
        info = self.runtime.knowledge.account(code)
        return info if info is not None and info.platform == Platform.WEB else None

    def _account(self, code: str | None) -> str:
        code = code or self._default_account
        if self._served(code) is None:
            raise HTTPException(404, detail=not_served(code))
        return code

    def router(self) -> APIRouter:
        router = APIRouter()

        @router.get("/", response_class=HTMLResponse, include_in_schema=False)
        @router.get("/chat", response_class=HTMLResponse, include_in_schema=False)
        async def page(account: str | None = None) -> HTMLResponse:
            code = account or self._default_account
            info = self._served(code)
            if info is None:
                # A citizen followed a link: a page in Chinese, not the API's JSON, and without
                # the link's text (anyone may write a link to this page).
                html = PAGES.get_template("missing.html").render()
                status = 404
            else:
                html = PAGES.get_template("page.html").render(title=info.name, account=code)
                status = 200
            return HTMLResponse(
                html, status_code=status, headers={"Content-Security-Policy": _page_policy(html)}
            )

        @router.post("/api/chat")
        async def chat(request: ChatRequest, http: Request) -> dict[str, Any]:
            code = self._account(request.account)
            # Per session is not enough: leaving the session out starts a new one each time.
            limits = self.runtime.address_limits
            address = http.client.host if http.client else "unknown"
            if not await limits.allow(limits.web_chat, "web-chat", address):
                raise HTTPException(429, detail=TOO_MANY)
            session = (
                request.session if request.session and SESSION.match(request.session) else None
            )
            session = session or uuid.uuid4().hex
            turn = await self.runtime.handle(
                IncomingMessage(
                    channel=self.name,
                    account=code,
                    citizen_id=session,
                    text=request.text,
                    kind="subscribe" if request.kind == "subscribe" else "text",
                )
            )
            return {
                "session": session,
                "reply": reply_payload(turn.reply) if turn.reply else None,
                "last_id": turn.reply_id or 0,
            }

        @router.post("/api/chat/feedback")
        async def feedback(request: FeedbackRequest) -> dict[str, Any]:
            code = self._account(request.account)
            reply = await self.runtime.feedback.rate(
                channel=self.name,
                account=code,
                citizen_id=request.session,
                helpful=request.helpful,
                reply_id=request.reply_id,
            )
            return {"reply": reply_payload(reply)}

        @router.get("/api/chat/messages")
        async def poll(
            account: str = Query(max_length=64),
            session: str = Query(pattern=SESSION.pattern),
            after: int = Query(default=0, ge=0, le=ROW_ID_MAX),
        ) -> dict[str, Any]:
            code = self._account(account)
            messages = await asyncio.to_thread(self._staff_messages, code, session, after)
            return {"messages": messages}

        return router

    def _staff_messages(self, code: str, session_id: str, after: int) -> list[dict[str, Any]]:
        info = self._served(code)
        assert info is not None
        with self.runtime.database.session() as session:
            conversation_id = find_conversation(
                session, channel=self.name, account_id=info.id, citizen_id=session_id
            )
            if conversation_id is None:
                return []
            return [
                {"id": m.id, "text": m.text, "at": m.created_at.isoformat()}
                for m in messages_after(session, conversation_id=conversation_id, after_id=after)
                if m.direction is Direction.OUT and m.author.startswith("staff")
            ]
