"""The channel-neutral incoming message every adapter produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from knowledge_base.models.conversations import Delivery
from knowledge_base.storable import storable

MessageKind = Literal["text", "choice", "subscribe", "image", "voice", "location", "other"]


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """What a citizen sent, whatever the channel.

    `external_id` is the platform's message id (WeChat MsgId, Telegram update id) used to drop
    retried deliveries; `choice` carries a tapped clarify button (its position, "1"…"3").
    `citizen_id` names one person: in a group chat it is the chat and the member together.
    """

    channel: str
    account: str
    citizen_id: str
    text: str = ""
    kind: MessageKind = "text"
    external_id: str | None = None
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The reply leaves by a later push (not in the response to this request), so it is stored
    # as pending until the platform says it arrived.
    reply_pushed: bool = False
    # A chat others read too (a Telegram group): personal matters move to `private_link`.
    shared_chat: bool = False
    private_link: str = ""

    def __post_init__(self) -> None:
        # Whatever a platform delivers, only storable text goes further (one place, every channel).
        for name in ("account", "citizen_id", "text"):
            object.__setattr__(self, name, storable(getattr(self, name)))
        if self.external_id is not None:
            object.__setattr__(self, "external_id", storable(self.external_id))


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What the platform answered to one push of a message outside a request/response exchange:
    the stored message's `Delivery` state (sent, or failed with the platform's reason)."""

    status: Literal[Delivery.SENT, Delivery.FAILED]
    detail: str = ""
    # The failure may pass (platform unreachable, rate limit): try again later.
    retry: bool = False
