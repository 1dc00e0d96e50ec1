"""What each channel needs from the runtime: one small protocol per kind of channel.

A channel sees only the parts it uses; `bot.runtime.Runtime` satisfies every protocol, and the
channel registry hands each channel its own settings section besides.
"""

from __future__ import annotations

from typing import Protocol

from bot.http.address_limits import AddressLimits
from handlers.deliveries import Deliveries
from handlers.feedback import FeedbackDesk
from handlers.live_knowledge import LiveKnowledge
from handlers.messages import IncomingMessage
from handlers.state import StateStore
from handlers.tickets.opening import TicketOpener
from handlers.turn import Turn
from knowledge_base.db import Database


class Answers(Protocol):
    """Every channel: a citizen's message run through the pipeline."""

    async def handle(self, message: IncomingMessage) -> Turn:
        """The turn the pipeline made of `message`."""
        ...


class ConsoleParts(Answers, Protocol):
    """The terminal channel: answers, and the live knowledge base for the account's name."""

    @property
    def knowledge(self) -> LiveKnowledge:
        """Accounts and the answer engine, reloaded when the knowledge base changes."""
        ...


class WebChatParts(ConsoleParts, Protocol):
    """The web chat: also the stored conversation, per-address limits and votes on answers."""

    @property
    def database(self) -> Database:
        """Where the conversation the page polls is stored."""
        ...

    @property
    def address_limits(self) -> AddressLimits:
        """How many messages one network address may send."""
        ...

    @property
    def feedback(self) -> FeedbackDesk:
        """Records 有帮助 / 没帮助 on an answer."""
        ...


class TelegramParts(Answers, Protocol):
    """Telegram: also state (live keyboards), votes on answers and delivery records."""

    @property
    def state(self) -> StateStore:
        """Short-lived state shared by workers."""
        ...

    @property
    def feedback(self) -> FeedbackDesk:
        """Records votes on answers."""
        ...

    @property
    def deliveries(self) -> Deliveries:
        """Records whether a pushed reply arrived."""
        ...


class PushedParts(TelegramParts, ConsoleParts, Protocol):
    """WeChat and Weibo (push webhooks): Telegram's parts, and the accounts the webhooks serve."""


class CommentParts(ConsoleParts, Protocol):
    """The comment desk: also the stored comments and tickets for comments nobody answered."""

    @property
    def database(self) -> Database:
        """Where comments and their states are stored."""
        ...

    @property
    def tickets(self) -> TicketOpener:
        """Opens a ticket when a private answer could not be sent."""
        ...
