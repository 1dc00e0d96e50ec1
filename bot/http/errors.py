"""Uniform JSON error responses (`{"error": …}`): malformed input is 400, never a stack trace."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from handlers.pipeline import UnknownAccount

# Framework refusals carry English reason phrases; citizens and staff read these instead.
_PLAIN = {
    400: "请求格式不正确",
    401: "身份验证失败",
    403: "没有权限",
    404: "未找到请求的内容",
    405: "不支持该请求方法",
    413: "请求内容过大",
}

# What was wrong with the body, by pydantic's error type; readers see Chinese, not pydantic's
# English messages.
_DETAIL = {
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "missing": "缺少必填字段",
    "string_type": "应为文本",
    "string_too_long": "内容过长",
    "string_too_short": "内容不能为空",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "dict_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "extra_forbidden": "不认识的字段",
    "value_error": "取值不符合要求",
}


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        kind = str(first.get("type", ""))
        # A JSON syntax error's location is a character offset, not a field.
        where = (
            ""
            if kind == "json_invalid"
            else ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        )
        detail = _DETAIL.get(kind.split(".")[0], "取值不符合要求")
        return JSONResponse(
            {"error": "请求格式不正确", "field": where, "detail": detail}, status_code=400
        )

    @app.exception_handler(HTTPException)
    async def refused(_: Request, exc: HTTPException) -> JSONResponse:
        # The framework's own 400s (a body that is not UTF-8 or not JSON) say so in English.
        ours = isinstance(exc.detail, str) and not exc.detail.isascii()
        fallback = HTTPStatus(exc.status_code).phrase
        text = str(exc.detail) if ours else _PLAIN.get(exc.status_code, fallback)
        return JSONResponse({"error": text}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(UnknownAccount)
    async def unknown_account(_: Request, exc: UnknownAccount) -> JSONResponse:
        return JSONResponse({"error": f"账号 {exc} 不存在或已注销"}, status_code=404)
