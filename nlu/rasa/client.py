"""Asking a Rasa server to parse a message: async httpx, per-attempt timeout, retries, a budget."""

from __future__ import annotations

import asyncio

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from nlu.rasa.parse import RasaParse, read_parse


class RasaUnavailable(Exception):
    """Rasa did not give a usable answer in time (down, slow, erroring or garbled)."""


class RasaClient:
    """`parse(text)` against one Rasa server; raises `RasaUnavailable` on any failure."""

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float,
        retries: int,
        budget_s: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.transport = transport  # tests put a fake Rasa here
        self.timeout_s = timeout_s
        self.retries = retries
        self.budget_s = budget_s
        # An httpx client belongs to the event loop that opened its connections.
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            # trust_env=False: Rasa runs next to the bot; an HTTP proxy from the environment
            # would only add a hop (or refuse loopback).
            self._client = httpx.AsyncClient(
                base_url=self.url,
                timeout=self.timeout_s,
                trust_env=False,
                transport=self.transport,
            )
            self._loop = loop
        return self._client

    async def parse(self, text: str) -> RasaParse:
        """Rasa's reading of `text`; the whole call, retries included, stays inside the budget."""
        try:
            async with asyncio.timeout(self.budget_s):
                return await self._parse(text)
        except TimeoutError as exc:
            raise RasaUnavailable(f"no answer within {self.budget_s} s") from exc

    async def _parse(self, text: str) -> RasaParse:
        # No wait between attempts: the budget is a fraction of a second and Rasa is local.
        attempts = AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1),
            retry=retry_if_exception_type((httpx.HTTPError, ValueError)),
            reraise=True,
        )
        try:
            return await attempts(self._parse_once, text)
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error

    async def _parse_once(self, text: str) -> RasaParse:
        response = await self._http().post("/model/parse", json={"text": text})
        response.raise_for_status()
        return read_parse(response.json())

    async def aclose(self) -> None:
        """Close the connections of the current event loop's client."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
