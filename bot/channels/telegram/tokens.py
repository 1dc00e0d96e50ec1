"""Keeping bot tokens out of the logs: the Bot API puts them in every request URL."""

from __future__ import annotations

import logging
from collections.abc import Iterable

# httpx logs each request's URL at INFO, and the URL holds the token.
HTTP_LOGGER = "httpx"


class HideTokens(logging.Filter):
    """Replaces the given tokens in log records with "***"."""

    def __init__(self, tokens: Iterable[str]) -> None:
        super().__init__()
        self.tokens = tuple(t for t in tokens if t)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(t in message for t in self.tokens):
            for token in self.tokens:
                message = message.replace(token, "***")
            record.msg, record.args = message, ()
        return True
