"""The fans-service push signature: sha1 of app secret, timestamp and nonce, sorted and joined.

Weibo documents it for both the server-address check (GET with echostr) and every push (POST):
`signature = sha1("".join(sorted([app_secret, timestamp, nonce])))`, timestamp in milliseconds.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping


class Forbidden(Exception):
    """The request cannot be shown to come from Weibo for this account."""


def signature(app_secret: str, timestamp: str, nonce: str) -> str:
    """The signature Weibo sends for these values."""
    joined = "".join(sorted([app_secret, timestamp, nonce]))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def check_signature(app_secret: str, query: Mapping[str, str]) -> None:
    """Raise Forbidden unless the query carries Weibo's signature for this app secret."""
    stamp, nonce, sent = query.get("timestamp", ""), query.get("nonce", ""), query.get("signature")
    if not stamp or not nonce or not sent:
        raise Forbidden("signature, timestamp or nonce missing")
    if not hmac.compare_digest(signature(app_secret, stamp, nonce), sent.lower()):
        raise Forbidden("wrong signature")
