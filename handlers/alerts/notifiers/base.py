"""The `Notifier` interface used by the outbox dispatcher."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a staff member can be reached (empty strings: not on that medium)."""

    staff_id: int
    name: str
    email: str = ""
    telegram_chat_id: str = ""
    wecom_user_id: str = ""


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """What to send: a short subject and a plain-text body in Simplified Chinese."""

    subject: str
    body: str
    ticket_id: int | None = None


class NotifierError(Exception):
    """Sending failed; `retry` False means trying again cannot help (bad address, refused)."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class Notifier(ABC):
    """One medium (Telegram, WeCom app, WeCom group robot, e-mail)."""

    name: str

    @abstractmethod
    def reaches(self, recipient: Recipient) -> bool:
        """Whether this notifier has an address for the recipient."""

    @abstractmethod
    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        """Deliver the message; return the provider's message id (or ""). Raise NotifierError."""

    async def close(self) -> None:  # noqa: B027 - optional for stateless notifiers
        """Release clients."""
