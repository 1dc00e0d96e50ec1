"""The webhook endpoint Telegram posts updates to: `POST /telegram/{account}`."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from telegram import Bot, Update

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

UpdateHandler = Callable[[str, Update], Awaitable[None]]


def _error(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


def decode_update(body: bytes, bot: Bot) -> Update | None:
    """The update in `body`, or None when it is not a Telegram update."""
    try:
        data = json.loads(body)
        update = Update.de_json(data, bot) if isinstance(data, dict) else None
    except Exception:  # de_json trusts the shape it is given; any failure: not an update
        return None
    return update if update is not None and isinstance(update.update_id, int) else None


def webhook_router(
    bots: Mapping[str, Bot], secrets: Mapping[str, str], handle: UpdateHandler
) -> APIRouter:
    """Checks the secret, decodes the update and handles it before answering 200.

    The citizen's reply goes out through sendMessage, never in the webhook response; a 200 tells
    Telegram to stop re-delivering the update.
    """
    router = APIRouter()

    @router.post("/telegram/{account}", include_in_schema=False)
    async def receive(account: str, request: Request) -> Response:
        bot = bots.get(account)
        if bot is None:
            return _error(404, f"账号 {account} 未开通 Telegram")
        expected = secrets.get(account)
        given = request.headers.get(SECRET_HEADER, "")
        if expected is None or not hmac.compare_digest(given.encode(), expected.encode()):
            return _error(403, "密钥不正确")
        update = decode_update(await request.body(), bot)
        if update is None:
            return _error(400, "请求格式不正确")
        await handle(account, update)
        return Response(status_code=200)

    return router
