"""Weibo's open API over httpx: the private-message reply API and the errors it answers with.

Errors come as `{"error": "expired_token", "error_code": 21327, "request": "/2/..."}` (Weibo
API error codes: 10022/10023/10024 rate limits, 21327 expired token, 21332 invalid token,
20101 target weibo does not exist, 20003 user does not exist).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)

RATE_LIMITED = {10022, 10023, 10024}
GONE = {20101, 20003, 20019, 20034}  # the post or comment was deleted, the user is gone
# The platform is busy: system and remote-service errors.
PASSING = {10001, 10003, 10009} | RATE_LIMITED
REASONS = {
    21327: "微博访问令牌已过期，请在设置中更新（21327）",
    21332: "微博访问令牌无效，请在设置中更新（21332）",
    21301: "微博授权失败（21301）",
    20101: "微博已被删除（20101）",
    20003: "微博用户不存在（20003）",
}


@dataclass(frozen=True, slots=True)
class ApiError(Exception):
    """Weibo refused a call; `code` is its error_code (0 when unreachable or not JSON)."""

    code: int
    error: str

    @property
    def passing(self) -> bool:
        """Worth trying again later (busy, rate-limited, unreachable)."""
        return self.code == 0 or self.code in PASSING

    @property
    def reason(self) -> str:
        """Why, in the words a duty officer reads."""
        if self.code in REASONS:
            return REASONS[self.code]
        if self.code in RATE_LIMITED:
            return f"微博接口调用过于频繁（{self.code}），稍后自动重试"
        if self.code == 0:
            return "无法连接微博接口"
        return f"微博接口返回错误（{self.code}）"


async def call(
    client: httpx.AsyncClient, method: str, url: str, *, token: str, **fields: Any
) -> dict[str, Any]:
    """One API call with the account's token; raises ApiError, never logs the token."""
    try:
        if method == "GET":
            response = await client.get(url, params={"access_token": token, **fields})
        else:
            response = await client.post(url, data={"access_token": token, **fields})
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        # Not str(exc): a request error quotes the URL, and the URL may hold the token.
        raise ApiError(0, type(exc).__name__) from None
    if not isinstance(data, dict):
        raise ApiError(0, "not a JSON object")
    if data.get("error_code"):
        code = data["error_code"]
        raise ApiError(int(code) if str(code).isdigit() else 0, str(data.get("error", ""))[:200])
    if response.status_code >= 400:
        raise ApiError(0, f"HTTP {response.status_code}")
    return data
