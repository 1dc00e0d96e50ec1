"""Turn a verified WeChat push into the channel-neutral `IncomingMessage` (or nothing to answer)."""

from __future__ import annotations

from dataclasses import dataclass

from wechatpy import parse_message

from bot.channels.base import IncomingMessage
from handlers.messages import MessageKind

CHANNEL = "wechat"

_MEDIA_KINDS: dict[str, MessageKind] = {
    "image": "image",
    "voice": "voice",
    "location": "location",
}
# Follows, including through a QR code; every other event (unsubscribe, menu clicks and views,
# periodic location reports, mass-send reports) needs no answer.
_FOLLOW_EVENTS = {"subscribe", "subscribe_scan"}


class NotAMessage(Exception):
    """Well-formed XML that is not a WeChat push (no MsgType, no sender)."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """A citizen's push: who sent it to which official account, and what govbot should handle."""

    openid: str
    official_id: str  # the account's gh_… id, the sender of our reply
    message: IncomingMessage | None  # None: acknowledge with "success", run no pipeline


def read_push(xml: str, *, account: str) -> Inbound:
    """Parse the (already defused) plaintext XML with wechatpy and map it."""
    try:
        push = parse_message(xml)
        openid, official_id = str(push.source or ""), str(push.target or "")
        kind = str(push.type)
        # wechatpy converts fields when they are read: read them all here (MsgId "x" is a 400).
        if kind == "event":
            event, external_id = str(push.event), f"event:{push.event}:{push.time}"
        else:
            event, external_id = "", f"msg:{push.id}"
        text = str(push.content or "") if kind == "text" else ""
        # With speech recognition on (接收语音识别结果), a voice push carries its transcript.
        heard = str(push.recognition or "").strip() if kind == "voice" else ""
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotAMessage(type(exc).__name__) from None
    if not openid or not official_id:
        raise NotAMessage("no FromUserName or ToUserName")

    def incoming(kind: MessageKind, external_id: str, text: str = "") -> Inbound:
        message = IncomingMessage(
            channel=CHANNEL,
            account=account,
            citizen_id=openid,
            text=text,
            kind=kind,
            external_id=external_id,
        )
        return Inbound(openid, official_id, message)

    if kind == "event":
        if event not in _FOLLOW_EVENTS:
            return Inbound(openid, official_id, None)
        # Events carry no MsgId; WeChat retries them with the same sender and CreateTime.
        return incoming("subscribe", external_id)
    if kind == "text":
        return incoming("text", external_id, text)
    if heard:
        return incoming("text", external_id, heard)
    return incoming(_MEDIA_KINDS.get(kind, "other"), external_id)  # video, link, file …
