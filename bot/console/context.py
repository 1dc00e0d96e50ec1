"""What every console route shares: the runtime, settings, pages, and the sign-in checks.

`viewer` (any request) and `writer` (every POST) are FastAPI dependencies: `writer` refuses a form
whose CSRF token is not the session's, and refuses every change by a read-only supervisor.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from bot.console.pages import Pages, Refusal, is_https
from bot.console.passwords import HashingPool
from bot.console.settings import ConsoleSettings
from bot.console.signin import viewer_for
from bot.console.viewer import Viewer
from bot.runtime import Runtime

SESSION_COOKIE = "govbot_console"
T = TypeVar("T")


class SignInRequired(Exception):
    """No valid session: the browser is sent to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def console_settings(runtime: Runtime) -> ConsoleSettings:
    """The `console` section of the settings."""
    return runtime.settings.console


class Console:
    """Shared by the route modules of one application."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = console_settings(runtime)
        key = self.settings.signing_key()
        self.pages = Pages(key)
        self._cookies = URLSafeTimedSerializer(key, salt="govbot-console-session")
        self.hashing = HashingPool(
            workers=self.settings.hash_workers, waiting=self.settings.hash_waiting
        )

    def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one database transaction (call from sync routes or via to_thread)."""
        with self.runtime.database.session() as session:
            return work(session)

    async def run_async(self, work: Callable[[Session], T]) -> T:
        """`run` in a worker thread, for async routes."""
        return await asyncio.to_thread(self.run, work)

    def token(self, request: Request) -> str | None:
        """The session token from the signed cookie, if it is genuine and not too old."""
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            token = self._cookies.loads(raw, max_age=int(self.settings.session_hours * 3600))
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    def set_session_cookie(self, request: Request, response: Response, token: str) -> None:
        """Remember the sign-in: HttpOnly, SameSite=Lax, Secure over HTTPS."""
        response.set_cookie(
            SESSION_COOKIE,
            self._cookies.dumps(token),
            max_age=int(self.settings.session_hours * 3600),
            path="/console",
            httponly=True,
            samesite="lax",
            secure=is_https(request),
        )

    async def viewer(self, request: Request) -> Viewer:
        """Dependency: the signed-in user, or a redirect to the sign-in page."""
        token = self.token(request)
        found = None
        if token is not None:
            found = await asyncio.to_thread(
                self.run, lambda session: viewer_for(session, token=token)
            )
        if found is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequired(quote(target, safe=""))
        request.state.viewer = found
        return found

    async def writer(self, request: Request) -> Viewer:
        """Dependency of every POST: a signed-in user who may change things, with a valid form."""
        viewer = await self.viewer(request)
        form = await request.form()
        sent = form.get("csrf")
        if not isinstance(sent, str) or not hmac.compare_digest(sent, viewer.csrf):
            raise Refusal(403, "表单已过期或来源不明，请刷新页面后重试。")
        if viewer.read_only:
            raise Refusal(403, "您的角色为只读，不能修改数据。")
        return viewer
