"""Sign-in, sign-out and the console's home page."""

import asyncio
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.console.context import SESSION_COOKIE, Console
from bot.console.pages import Refusal, is_https
from bot.console.passwords import HashingBusy
from bot.console.signin import WRONG, begin_attempt, open_session, record_failure
from bot.console.viewer import Viewer
from knowledge_base.console_sign_in import sign_out
from knowledge_base.models.base import utcnow

LOGIN_COOKIE = "govbot_console_login"
TOO_MANY = "登录尝试过于频繁，请稍后再试。"


def _safe_next(value: str) -> str:
    # Only paths inside the console: never another site.
    return value if value.startswith("/console") and not value.startswith("//") else "/console"


def build(console: Console) -> APIRouter:
    """Routes of signing in and out."""
    router = APIRouter()
    login_tokens = URLSafeTimedSerializer(console.settings.signing_key(), salt="govbot-login")

    def login_page(
        request: Request, next_url: str, problem: str = "", status: int = 200
    ) -> Response:
        token = secrets.token_urlsafe(24)
        response = console.pages.render(
            request,
            "login.html",
            None,
            status=status,
            csrf=token,
            next_url=next_url,
            problem=problem,
        )
        response.set_cookie(
            LOGIN_COOKIE,
            login_tokens.dumps(token),
            max_age=3600,
            path="/console",
            httponly=True,
            samesite="lax",
            secure=is_https(request),
        )
        return response

    async def sign_in(username: str, password: str) -> str | None:
        """A session token, or None; the database steps are short, the hashing has its pool."""
        now, settings = utcnow(), console.settings
        attempt = await asyncio.to_thread(
            console.run,
            lambda session: begin_attempt(session, username=username, now=now, settings=settings),
        )
        valid = await console.hashing.verify(attempt.password_hash, password)
        user_id = attempt.user_id
        if user_id is None:
            return None
        if not valid:
            await asyncio.to_thread(
                console.run,
                lambda session: record_failure(
                    session, user_id=user_id, now=now, settings=settings
                ),
            )
            return None
        return await asyncio.to_thread(
            console.run,
            lambda session: open_session(session, user_id=user_id, now=now, settings=settings),
        )

    @router.get("/console/login")
    async def login_form(request: Request, next: str = "/console") -> Response:
        return login_page(request, _safe_next(next))

    @router.post("/console/login")
    async def login(
        request: Request,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/console",
    ) -> Response:
        try:
            expected = login_tokens.loads(request.cookies.get(LOGIN_COOKIE, ""), max_age=3600)
        except BadSignature:
            expected = None
        if not isinstance(expected, str) or not hmac.compare_digest(expected, csrf):
            raise Refusal(403, "登录表单已过期，请刷新页面后重新登录。")
        limits = console.runtime.address_limits
        address = request.client.host if request.client else "unknown"
        if not await limits.allow(limits.console_sign_in, "console-sign-in", address):
            return login_page(request, _safe_next(next), TOO_MANY, status=429)
        try:
            token = await sign_in(username.strip(), password)
        except HashingBusy:
            return login_page(request, _safe_next(next), TOO_MANY, status=503)
        if token is None:
            return login_page(request, _safe_next(next), WRONG, status=401)
        response = console.pages.redirect(request, _safe_next(next))
        console.set_session_cookie(request, response, token)
        response.delete_cookie(LOGIN_COOKIE, path="/console")
        return response

    @router.post("/console/logout")
    async def logout(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        if not hmac.compare_digest(csrf, viewer.csrf):
            raise Refusal(403, "表单已过期或来源不明，请刷新页面后重试。")
        token = console.token(request)
        if token is not None:
            await asyncio.to_thread(console.run, lambda session: sign_out(session, token=token))
        response = console.pages.redirect(request, "/console/login", note="您已安全退出。")
        response.delete_cookie(SESSION_COOKIE, path="/console")
        return response

    @router.get("/console")
    async def home(
        request: Request, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        if viewer.handles_tickets and not viewer.writes_entries:
            return console.pages.redirect(request, "/console/tickets")
        if viewer.read_only:
            return console.pages.redirect(request, "/console/dashboard")
        return console.pages.redirect(request, "/console/kb")

    return router
