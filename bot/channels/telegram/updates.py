"""Turning a Telegram `Update` into the channel-neutral `IncomingMessage`."""

from __future__ import annotations

import re

from telegram import CallbackQuery, Message, Update

from handlers.messages import IncomingMessage, MessageKind

CHANNEL = "telegram"

# Updates the bot subscribes to; Telegram does not send the others.
ALLOWED_UPDATES = ["message", "callback_query"]

# "/start", "/start@SomeBot" and "/start <deep-link payload>" all open the conversation.
_START = re.compile(r"^/start(?:@\w+)?(?:\s|$)")
_CHOICE = re.compile(r"^[1-9]$")

# Content the pipeline answers politely instead of reading; the first present attribute wins.
_MEDIA: tuple[tuple[str, MessageKind], ...] = (
    ("photo", "image"),
    ("voice", "voice"),
    ("video_note", "voice"),
    ("audio", "voice"),
    ("venue", "location"),
    ("location", "location"),
    ("sticker", "other"),
    ("animation", "other"),
    ("video", "other"),
    ("document", "other"),
    ("contact", "other"),
)


def to_incoming(account: str, update: Update) -> IncomingMessage | None:
    """The citizen's message in `update`, or None for updates that need no answer."""
    if update.callback_query is not None:
        return _choice(account, update.update_id, update.callback_query)
    if update.message is not None:
        return _message(account, update.update_id, update.message)
    return None


def _choice(account: str, update_id: int, query: CallbackQuery) -> IncomingMessage | None:
    # Our buttons carry only the choice number; anything else was not made by us.
    if query.data is None or not _CHOICE.fullmatch(query.data):
        return None
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    return IncomingMessage(
        channel=CHANNEL,
        account=account,
        citizen_id=str(chat_id),
        text=query.data,
        kind="choice",
        external_id=str(update_id),
    )


def _message(account: str, update_id: int, message: Message) -> IncomingMessage | None:
    kind: MessageKind | None
    if message.text is not None:
        kind = "subscribe" if _START.match(message.text) else "text"
    else:
        kind = next((k for attr, k in _MEDIA if getattr(message, attr)), None)
    if kind is None:  # service messages (pins, joins …) are not citizen questions
        return None
    return IncomingMessage(
        channel=CHANNEL,
        account=account,
        citizen_id=str(message.chat.id),
        text=message.text or message.caption or "",
        kind=kind,
        external_id=str(update_id),
        received_at=message.date,
    )
