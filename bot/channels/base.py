"""The `Channel` interface every adapter implements, and the channel-neutral message types.

An adapter turns its platform's payloads into `IncomingMessage`, hands them to the runtime's
pipeline, and renders the `Reply` back in its platform's form. Platform library types (Telegram
`Update`, wechatpy messages) never leave the adapter.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from fastapi import APIRouter

from handlers.compose import Reply
from handlers.messages import IncomingMessage, SendOutcome

__all__ = ["Channel", "IncomingMessage", "Reply", "SendOutcome"]


class Channel(ABC):
    """One platform: the runtime starts it, serves its routes, asks it to deliver later replies."""

    name: str

    def router(self) -> APIRouter | None:
        """HTTP endpoints this channel serves (webhooks, chat API), or None."""
        return None

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Begin background work (polling, webhook registration)."""

    async def stop(self) -> None:  # noqa: B027 - optional hook
        """Stop background work and release clients."""

    @abstractmethod
    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        """Send a reply that was not produced inside the citizen's request (a staff reply, a late
        answer). Must not raise for platform refusals: return a failed Delivery with the reason."""
