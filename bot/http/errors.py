"""Uniform JSON error responses: malformed input is 400, never a stack trace."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from handlers.pipeline import UnknownAccount


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return JSONResponse(
            {"error": "请求格式不正确", "field": where, "detail": first.get("msg", "")},
            status_code=400,
        )

    @app.exception_handler(UnknownAccount)
    async def unknown_account(_: Request, exc: UnknownAccount) -> JSONResponse:
        return JSONResponse({"error": f"账号 {exc} 不存在或已注销"}, status_code=404)
