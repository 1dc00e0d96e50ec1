"""Keep the app secret and access tokens out of debug logs of the HTTP library wechatpy uses.

WeChat puts both in the query string (`/cgi-bin/token?…&secret=…`, `…?access_token=…`), and
urllib3 logs every request line at DEBUG level.
"""

from __future__ import annotations

import logging
import re

_SECRET_PARAM = re.compile(r"((?:access_token|secret)=)[^&\s\"']+")
_LOGGERS = ("urllib3.connectionpool",)


class RedactSecrets(logging.Filter):
    """Rewrites the record's message with the secret query values replaced by ***."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_PARAM.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def redact_secrets_in_http_logs() -> None:
    """Install the filter once on the HTTP library's loggers."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
