"""The passive reply: JSON in the push's HTTP response, `data` URL-encoded JSON as documented.

`{"result": true, "sender_id": <account uid>, "receiver_id": <citizen uid>, "type": "text",
"data": "%7B%22text%22%3A%20%22...%22%7D"}`; an empty 200 body acknowledges without a reply.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from bot.channels.weibo.inbound import Inbound


def encoded_text(text: str) -> str:
    """`data` of a text message: URL-encoded JSON (the reply API takes the same form)."""
    return quote(json.dumps({"text": text}, ensure_ascii=False))


def text_reply(inbound: Inbound, text: str) -> dict[str, object]:
    """The passive reply to `inbound` carrying `text`."""
    return {
        "result": True,
        "sender_id": inbound.receiver_id,
        "receiver_id": inbound.sender_id,
        "type": "text",
        "data": encoded_text(text),
    }
