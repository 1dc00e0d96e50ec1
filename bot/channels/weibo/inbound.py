"""Turn a verified Weibo push (JSON) into the channel-neutral `IncomingMessage`, or nothing.

A push as the fans service sends it:
`{"type": "text", "receiver_id": 1902538057, "sender_id": 2489518277,
"created_at": "Mon Jul 16 18:09:20 +0800 2012", "text": "私信或留言内容", "data": {}}`;
events carry `data.subtype` (follow, unfollow, subscribe, unsubscribe, scan, scan_follow, click).
Newer pushes also carry the message `id`; without it a retry is known by its sender, time and text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from bot.channels.base import IncomingMessage
from handlers.messages import MessageKind

CHANNEL = "weibo"
MAX_BODY_BYTES = 64 * 1024  # a private message is at most a few thousand characters

_KINDS: dict[str, MessageKind] = {
    "text": "text",
    "image": "image",
    "voice": "voice",
    "position": "location",
}
_FOLLOW_EVENTS = {"follow", "subscribe", "scan_follow"}


class Malformed(Exception):
    """The body is not a usable Weibo push (bad JSON, no sender, not addressed to the account)."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """A citizen's push: who sent it to which Weibo uid, and what govbot should handle."""

    sender_id: str
    receiver_id: str
    message: IncomingMessage | None  # None: acknowledge without a reply, run no pipeline


def _uid(value: Any) -> str:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return text if text.isascii() and text.isdigit() and len(text) <= 20 else ""


def _external_id(push: dict[str, Any], sender: str, kind: str) -> str:
    if _uid(push.get("id")):
        return f"msg:{push['id']}"
    basis = json.dumps(
        [sender, kind, push.get("created_at"), push.get("text"), push.get("data")],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    # A lone surrogate (an escaped "\ud800") still hashes: the same push, the same id.
    return "h:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def read_push(body: bytes, *, account: str, uid: str) -> Inbound:
    """Parse the JSON body; raises Malformed."""
    if len(body) > MAX_BODY_BYTES:
        raise Malformed("body too large")
    try:
        push = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("not JSON") from None
    if not isinstance(push, dict):
        raise Malformed("not a JSON object")
    sender, receiver = _uid(push.get("sender_id")), _uid(push.get("receiver_id"))
    kind = push.get("type")
    if not sender or not receiver or not isinstance(kind, str):
        raise Malformed("no sender_id, receiver_id or type")
    if receiver != uid:
        raise Malformed("addressed to another Weibo account")
    raw_data, raw_text = push.get("data"), push.get("text")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    text = raw_text if isinstance(raw_text, str) else ""

    def incoming(kind_: MessageKind, text_: str = "") -> Inbound:
        message = IncomingMessage(
            channel=CHANNEL,
            account=account,
            citizen_id=sender,
            text=text_,
            kind=kind_,
            external_id=_external_id(push, sender, kind),
        )
        return Inbound(sender, receiver, message)

    if kind == "event":
        if data.get("subtype") not in _FOLLOW_EVENTS:
            return Inbound(sender, receiver, None)  # unfollow, menu clicks, scans: no answer
        return incoming("subscribe")
    if kind == "text":
        return incoming("text", text)
    return incoming(_KINDS.get(kind, "other"))  # image, voice, position, mention …
