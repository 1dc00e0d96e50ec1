"""wechatpy API clients, one per official account, sharing their access tokens through Redis."""

from __future__ import annotations

from typing import Any

import redis
from wechatpy import WeChatClient
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from bot.channels.wechat.settings import WeChatAccountSettings, WeChatSettings
from handlers.wechatpy_client import ConfiguredClient

TOKEN_PREFIX = "govbot:wechat"


class AccountClient(ConfiguredClient, WeChatClient):
    """wechatpy's official-account client under the configured API base, safe for threads."""

    def __init__(
        self, *, app_id: str, secret: str, api_base_url: str, session: Any, timeout: float
    ) -> None:
        super().__init__(app_id, secret, session=session, timeout=timeout)
        self.configure(api_base_url=api_base_url, timeout=timeout)

    def token_params(self) -> dict[str, Any]:
        return {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}


def token_storage(redis_client: redis.Redis | None) -> Any:
    """Redis storage when workers share a Redis server (one token for all), memory otherwise."""
    if redis_client is None:
        return MemoryStorage()
    return RedisStorage(redis_client, prefix=TOKEN_PREFIX)


def build_clients(
    settings: WeChatSettings, redis_client: redis.Redis | None
) -> dict[str, AccountClient]:
    """A client per configured govbot account code."""
    storage = token_storage(redis_client)
    return {
        code: _client(account, settings, storage) for code, account in settings.accounts.items()
    }


def _client(
    account: WeChatAccountSettings, settings: WeChatSettings, storage: Any
) -> AccountClient:
    return AccountClient(
        app_id=account.app_id,
        secret=account.app_secret.get_secret_value(),
        api_base_url=settings.api_base_url,
        session=storage,
        timeout=settings.api_timeout_seconds,
    )
