"""What Weibo's fans service sends: fixture JSON filled in and signed like the platform does."""

from __future__ import annotations

import itertools
import json
import random
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bot.channels.weibo.signature import signature

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "weibo"
ACCOUNT = "yunxi-fabu-weibo"  # the sample county's 云溪发布 on Weibo
UID = "1902538057"
APP_SECRET = "weibo-app-secret"
TOKEN = "2.00weibo-fans-service-token"
_ids = itertools.count(int(time.time()) * 1000)


def new_uid() -> str:
    """A fresh follower, so tests never share a conversation or a rate limit."""
    return str(random.randrange(10**9, 10**10))


def push(name: str, *, sender: str, receiver: str = UID, **values: Any) -> dict[str, Any]:
    """The fixture `name`.json for this sender, with a fresh message id and `values` set."""
    body: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    body.update(sender_id=int(sender), receiver_id=int(receiver), id=next(_ids), **values)
    return body


def signed_query(
    secret: str = APP_SECRET, *, millis: int | None = None, **extra: str
) -> dict[str, str]:
    """signature/timestamp/nonce as Weibo puts them on the callback URL (timestamp in ms)."""
    timestamp = str(millis if millis is not None else int(time.time() * 1000))
    nonce = uuid.uuid4().hex[:9]
    return {
        "signature": signature(secret, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        **extra,
    }


def reply_text(reply: dict[str, Any]) -> str:
    """The text of a passive reply: `data` is URL-encoded JSON."""
    assert reply["result"] is True and reply["type"] == "text"
    return str(json.loads(unquote(reply["data"]))["text"])
