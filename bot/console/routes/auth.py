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
from bot.console.signin import sign_in, sign_out
from bot.console.viewer import Viewer

LOGIN_COOKIE = "govbot_console_login"


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
        result = await asyncio.to_thread(
            console.run,
            lambda session: sign_in(
                session,
                username=username.strip(),
                password=password,
                settings=console.settings,
            ),
        )
        if result.token is None:
            return login_page(request, _safe_next(next), result.problem, status=401)
        response = console.pages.redirect(request, _safe_next(next))
        console.set_session_cookie(request, response, result.token)
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
