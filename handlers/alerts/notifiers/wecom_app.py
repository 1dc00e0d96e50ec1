"""Alerts as WeCom application messages (企业微信应用消息), through wechatpy's enterprise client.

wechatpy 1.8 names the WeCom client `wechatpy.enterprise.WeChatClient` (`wechatpy.work` came
later). It is synchronous (requests), so every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

import requests
from pydantic import SecretStr
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from handlers.alerts.notifiers.base import AlertMessage, Notifier, NotifierError, Recipient
from handlers.alerts.notifiers.text import plain_texts
from handlers.log_redaction import redact, redact_library_logs
from handlers.wechatpy_client import ConfiguredClient

WECOM_API_BASE_URL = "https://qyapi.weixin.qq.com/cgi-bin/"
_MAX_BYTES = 2048  # WeCom's limit for a text message's content, in UTF-8 bytes
# 40003 invalid userid; 81013 (formerly 82001) every recipient invalid or outside the app's
# visible range: only fixing the staff record or the app's range can help.
_UNREACHABLE = frozenset({40003, 81013, 82001})


class _WeComClient(ConfiguredClient, WeChatClient):
    """wechatpy's WeCom client under the configured API base, safe for threads."""

    TOKEN_PATH = "gettoken"

    def __init__(
        self,
        corp_id: str,
        secret: str,
        *,
        api_base_url: str,
        agent_id: int,
        session: SessionStorage | None,
        timeout: float,
    ) -> None:
        super().__init__(corp_id, secret, session=session, timeout=timeout)
        self.configure(api_base_url=api_base_url, timeout=timeout)
        self._agent_id = agent_id

    @property
    def access_token_key(self) -> str:
        # wechatpy's key embeds the secret's first 10 characters: in a shared Redis, anyone
        # listing keys would see them.
        return f"wecom_{self.corp_id}_{self._agent_id}_access_token"

    def token_params(self) -> dict[str, Any]:
        return {"corpid": self.corp_id, "corpsecret": self.secret}


class WeComAppNotifier(Notifier):
    """Sends a text from application `agent_id` to `recipient.wecom_user_id`; returns the msgid.

    `session` is where wechatpy keeps the access token (default: this process's memory). Pass a
    shared one, e.g. `wechatpy.session.redisstorage.RedisStorage`, when several workers send:
    WeCom asks callers to cache the token and throttles frequent gettoken calls.
    """

    name = "wecom_app"

    def __init__(
        self,
        corp_id: str,
        secret: SecretStr,
        agent_id: int,
        *,
        api_base_url: str = WECOM_API_BASE_URL,
        session: SessionStorage | None = None,
        timeout: float = 10,
    ) -> None:
        redact_library_logs()
        self._agent_id = agent_id
        self._client = _WeComClient(
            corp_id,
            secret.get_secret_value(),
            api_base_url=api_base_url,
            agent_id=agent_id,
            session=session,
            timeout=timeout,
        )

    def reaches(self, recipient: Recipient) -> bool:
        return bool(recipient.wecom_user_id)

    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        ids = [
            await self._send(recipient, text)
            for text in plain_texts(message, encoding="utf-8", max_bytes=_MAX_BYTES)
        ]
        return ids[0]

    async def _send(self, recipient: Recipient, text: str) -> str:
        user = recipient.wecom_user_id
        try:
            result = await asyncio.to_thread(
                self._client.message.send_text, self._agent_id, [user], text
            )
        except WeChatClientException as exc:
            if exc.errcode is None:  # an HTTP error status, not an answer from WeCom
                status = getattr(exc.response, "status_code", "?")
                raise NotifierError(f"WeCom unavailable: HTTP {status}") from exc
            raise NotifierError(
                f"WeCom refused the message to {user}: {exc.errcode} {exc.errmsg}",
                retry=exc.errcode not in _UNREACHABLE,
            ) from exc
        except requests.RequestException as exc:  # its text repeats the URL, secrets included
            raise NotifierError(f"WeCom unreachable: {redact(str(exc))}") from exc
        if not isinstance(result, dict):  # wechatpy hands back a non-JSON answer as it came
            raise NotifierError(f"WeCom answered HTTP {result.status_code} without JSON")
        return str(result.get("msgid", ""))

    async def close(self) -> None:
        await asyncio.to_thread(self._client.close)
