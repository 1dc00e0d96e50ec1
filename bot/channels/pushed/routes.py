"""The two routes of a push webhook (GET: server-address check, POST: a push) and its errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

Handler = Callable[[str, Request], Awaitable[Response]]


def error(status: int, text: str) -> JSONResponse:
    """A refusal with its reason in Chinese."""
    return JSONResponse({"error": text}, status_code=status)


def push_router(prefix: str, *, verify: Handler, receive: Handler) -> APIRouter:
    """`GET {prefix}/{account}` and `POST {prefix}/{account}`."""
    router = APIRouter(prefix=prefix, tags=[prefix.strip("/")])

    @router.get("/{account}")
    async def check(account: str, request: Request) -> Response:
        return await verify(account, request)

    @router.post("/{account}")
    async def push(account: str, request: Request) -> Response:
        return await receive(account, request)

    return router
