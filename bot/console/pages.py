"""Rendering pages: the Jinja2 environment (autoescape on), flash notes, redirects, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.console.viewer import Viewer

TEMPLATES = Path(__file__).with_name("templates")
FLASH_COOKIE = "govbot_console_flash"
# Pages may load only their own stylesheet; inline SVG charts need nothing else.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Refusal(Exception):
    """A request the user may not make (403), or a page they may not see (404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (directly or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


class Pages:
    """Renders templates with the signed-in user, the CSRF token and a one-time flash note."""

    def __init__(self, signing_key: str) -> None:
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "svg"], default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        # Read every template now, so that rendering never touches the disk inside a request.
        for name in self.env.list_templates():
            self.env.get_template(name)
        self._flash = URLSafeSerializer(signing_key, salt="govbot-console-flash")

    def render(
        self,
        request: Request,
        template: str,
        viewer: Viewer | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        """A page; the flash note left by the previous redirect is shown once."""
        flash: dict[str, str] | None = None
        raw = request.cookies.get(FLASH_COOKIE)
        if raw:
            try:
                flash = self._flash.loads(raw)
            except BadSignature:
                flash = None
        html = self.env.get_template(template).render(
            request=request, viewer=viewer, flash=flash, path=request.url.path, **context
        )
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        if raw:
            response.delete_cookie(FLASH_COOKIE, path="/console")
        return response

    def redirect(
        self, request: Request, url: str, *, note: str = "", error: bool = False
    ) -> Response:
        """Go to `url` after a form (303), leaving a note for the next page."""
        response = RedirectResponse(url, status_code=303)
        if note:
            response.set_cookie(
                FLASH_COOKIE,
                self._flash.dumps({"text": note, "kind": "error" if error else "ok"}),
                path="/console",
                httponly=True,
                samesite="lax",
                secure=is_https(request),
            )
        return response

    def refusal(self, request: Request, viewer: Viewer | None, refusal: Refusal) -> HTMLResponse:
        """The page shown for 403 and 404."""
        return self.render(
            request,
            "refused.html",
            viewer,
            status=refusal.status,
            message=refusal.message,
            refused_status=refusal.status,
        )
