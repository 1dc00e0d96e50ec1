"""Adding the console to the FastAPI application: routes, stylesheet and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response

from bot.console.context import Console, SignInRequired
from bot.console.pages import Refusal
from bot.console.routes import (
    accounts,
    auth,
    comments,
    dashboard,
    kb,
    kb_files,
    kb_form,
    lookup,
    tickets,
    unanswered,
)
from bot.runtime import Runtime

STATIC = Path(__file__).with_name("static")
# Read once at start; the look-up page's script is a file because pages allow no inline script.
ASSETS = {
    "console.css": (STATIC.joinpath("console.css").read_bytes(), "text/css"),
    "lookup.js": (STATIC.joinpath("lookup.js").read_bytes(), "text/javascript"),
}


def mount_console(app: FastAPI, runtime: Runtime) -> None:
    """Serve the console under /console on `app`."""
    console = Console(runtime)
    for area in (
        auth,
        kb_form,
        kb_files,
        kb,
        unanswered,
        tickets,
        comments,
        accounts,
        dashboard,
        lookup,
    ):
        app.include_router(area.build(console), include_in_schema=False)

    @app.get("/console/static/{name}", include_in_schema=False)
    async def asset(name: str) -> Response:
        if name not in ASSETS:
            return Response(status_code=404)
        body, media_type = ASSETS[name]
        return Response(
            body, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
        )

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        return console.pages.redirect(request, f"/console/login?next={exc.next_url}")

    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> Response:
        return console.pages.refusal(request, getattr(request.state, "viewer", None), exc)
