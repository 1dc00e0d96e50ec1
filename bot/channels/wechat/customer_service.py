"""Customer-service messages (客服消息): text pushed to a citizen outside a request, within 48 h."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from redis import RedisError
from wechatpy.exceptions import WeChatClientException

from bot.channels.base import SendOutcome
from bot.channels.wechat.api_client import AccountClient
from handlers.text_parts import split_text
from knowledge_base.models import Delivery

log = logging.getLogger(__name__)

WINDOW_CLOSED = 45015  # the citizen has not written for 48 hours
# Refusals that pass: system busy, the message rate limit, an expired or invalid access token
# (wechatpy fetches a new one on the next call).
_PASSING = {-1, 45047, 40001, 42001}
_REASONS = {
    WINDOW_CLOSED: "市民超过48小时未发消息，微信不允许再主动回复（45015）",
    43004: "市民已取消关注公众号（43004）",
    40003: "市民的OpenID无效（40003）",
    45047: "客服消息发送条数超过微信限制（45047）",
}


def _reason(exc: WeChatClientException) -> str:
    code = exc.errcode
    if code in _REASONS:
        return _REASONS[code]
    if code is None:  # HTTP error status from the API server
        return "微信接口暂时不可用"
    return f"微信接口返回错误（{code}）"


def _who(openid: str) -> str:
    return openid[:6] + "…"  # enough to find the case, not enough to identify the citizen


class CustomerService:
    """Sends texts through each account's wechatpy client; never raises, reports a Delivery."""

    def __init__(self, clients: Mapping[str, AccountClient]) -> None:
        self._clients = clients

    async def send_text(self, *, account: str, citizen_id: str, text: str) -> SendOutcome:
        """Send `text` (in several messages when too long for one) to the citizen (an openid)."""
        openid = citizen_id
        client = self._clients.get(account)
        if client is None:
            return SendOutcome(Delivery.FAILED, f"账号 {account} 未配置微信公众号")
        for part in split_text(text):
            try:
                await asyncio.to_thread(client.message.send_text, openid, part)
            except WeChatClientException as exc:
                log.warning(
                    "wechat custom message to %s via %s refused: errcode %s",
                    _who(openid),
                    account,
                    exc.errcode,
                )
                passing = exc.errcode is None or exc.errcode in _PASSING
                return SendOutcome(Delivery.FAILED, _reason(exc), retry=passing)
            except RedisError:
                log.warning("wechat access-token cache (Redis) unavailable for %s", account)
                return SendOutcome(Delivery.FAILED, "访问令牌缓存（Redis）不可用", retry=True)
            except Exception as exc:
                # Not str(exc): request errors quote the URL, and the URL holds the access token.
                log.warning(
                    "wechat custom message to %s via %s failed: %s",
                    _who(openid),
                    account,
                    type(exc).__name__,
                )
                return SendOutcome(Delivery.FAILED, "无法连接微信接口", retry=True)
        return SendOutcome(Delivery.SENT)
