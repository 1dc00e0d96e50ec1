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
    dashboard,
    kb,
    kb_files,
    kb_form,
    routing,
    tickets,
    unanswered,
)
from bot.runtime import Runtime

STYLESHEET = Path(__file__).with_name("static").joinpath("console.css").read_bytes()


def mount_console(app: FastAPI, runtime: Runtime) -> None:
    """Serve the console under /console on `app`."""
    console = Console(runtime)
    areas = (auth, kb_form, kb_files, kb, unanswered, tickets, accounts, dashboard, routing)
    for area in areas:
        app.include_router(area.build(console), include_in_schema=False)

    @app.get("/console/static/console.css", include_in_schema=False)
    async def stylesheet() -> Response:
        return Response(
            STYLESHEET,
            media_type="text/css",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        return console.pages.redirect(request, f"/console/login?next={exc.next_url}")

    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> Response:
        return console.pages.refusal(request, getattr(request.state, "viewer", None), exc)
