"""Keeping credentials out of logs and error messages: one filter for every channel and notifier.

The HTTP libraries under the channels and notifiers log full request URLs: httpx at INFO
(Telegram puts the bot token in the path, a WeCom group robot's webhook key is a query
parameter) and urllib3 at DEBUG (wechatpy sends `corpsecret`/`secret` and `access_token` as
query parameters, for official accounts and WeCom alike); requests' connection errors repeat the
URL too. Redacting keeps those lines useful instead of silencing the loggers.
"""

from __future__ import annotations

import logging
import re

_SECRETS = re.compile(
    r"(?P<keep>/bot)\d+:[\w-]+"  # Telegram: https://api.telegram.org/bot<token>/sendMessage
    r"|(?P<param>[?&](?:access_token|corpsecret|secret|key)=)[^&\s\"'>)]+"
)
_LOGGERS = ("httpx", "urllib3.connectionpool")


def redact(text: str) -> str:
    """`text` with bot tokens, WeCom secrets, access tokens and webhook keys replaced by ***."""
    return _SECRETS.sub(lambda m: f"{m['keep'] or m['param']}***", text)


class RedactSecrets(logging.Filter):
    """Rewrites each record's message through `redact` (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redact_library_logs() -> None:
    """Install the filter on the loggers that print request URLs; safe to call repeatedly."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
