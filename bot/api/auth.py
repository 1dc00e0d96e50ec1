"""Bearer-token check of the staff API; the token comes from settings, never from code."""

from __future__ import annotations

import hmac

from fastapi import Header, HTTPException, Request


def require_staff_token(request: Request, authorization: str = Header(default="")) -> None:
    """Refuse the request unless it carries the configured staff API token."""
    token = request.app.state.runtime.settings.staff_api_token
    if token is None:
        raise HTTPException(503, detail="未配置工作人员接口令牌（GOVBOT_STAFF_API_TOKEN）")
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.encode(), token.get_secret_value().encode()
    ):
        raise HTTPException(401, detail="身份验证失败", headers={"WWW-Authenticate": "Bearer"})
