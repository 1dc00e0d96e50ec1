"""wechatpy API clients, one per official account, sharing their access tokens through Redis."""

from __future__ import annotations

import threading
from typing import Any

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from bot.channels.wechat.settings import WeChatAccountSettings, WeChatSettings

TOKEN_PREFIX = "govbot:wechat"


class _TimeoutSession(requests.Session):
    """wechatpy fetches tokens without a timeout; a hung fetch would hold a worker thread."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().request(*args, **kwargs)


class AccountClient(WeChatClient):
    """wechatpy's synchronous client, pointed at the configured API base and safe for threads.

    Callers run it with asyncio.to_thread; the lock keeps concurrent sends in one worker from
    fetching the access token (limited to 2000 a day) several times at once.
    """

    def __init__(
        self, *, app_id: str, secret: str, api_base_url: str, session: Any, timeout: float
    ) -> None:
        super().__init__(app_id, secret, session=session, timeout=timeout)
        self.API_BASE_URL = api_base_url
        self._http = _TimeoutSession(timeout)
        self._token_lock = threading.Lock()

    @property
    def access_token(self) -> str:
        with self._token_lock:
            token: str = super().access_token
            return token

    def fetch_access_token(self) -> dict[str, Any]:
        # wechatpy hard-codes the production token URL; use the configured base instead.
        result: dict[str, Any] = self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )
        return result


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
