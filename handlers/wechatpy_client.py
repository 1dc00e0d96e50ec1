"""What govbot adds to wechatpy's clients, official-account and WeCom alike, written once.

wechatpy hard-codes the production token URL and fetches tokens without a timeout; its clients
are synchronous (requests), so callers run them in worker threads. `ConfiguredClient` puts every
URL under a configured API base (the tests' local fake, or a proxy), gives every request a
timeout, and lets one thread at a time fetch the access token, whose daily quota is small.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from wechatpy.client.base import BaseWeChatClient


class TimeoutSession(requests.Session):
    """A requests session that adds `timeout` to calls made without one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(*args, **kwargs)


class ConfiguredClient(BaseWeChatClient):
    """Mix in before a wechatpy client class; subclasses name their token endpoint."""

    TOKEN_PATH = "token"

    def configure(self, *, api_base_url: str, timeout: float) -> None:
        """Call right after wechatpy's own __init__."""
        self.API_BASE_URL = api_base_url
        self._http = TimeoutSession(timeout)  # the HTTP session wechatpy sends through
        self._token_lock = threading.Lock()

    def token_params(self) -> dict[str, Any]:
        """The token endpoint's query parameters."""
        raise NotImplementedError

    @property
    def access_token(self) -> str:
        with self._token_lock:
            token: str = super().access_token
            return token

    def fetch_access_token(self) -> dict[str, Any]:
        result: dict[str, Any] = self._fetch_access_token(
            url=f"{self.API_BASE_URL}{self.TOKEN_PATH}", params=self.token_params()
        )
        return result

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()
