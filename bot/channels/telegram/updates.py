"""Turning a Telegram `Update` into the channel-neutral `IncomingMessage`.

Chat types decide who the citizen is. A private chat is one citizen. In a group or supergroup
the bot answers only when addressed (a mention, or a reply to one of its messages), each member
is their own conversation (chat and user together), and the message is marked as read by
others, so anything personal moves to a private chat. Channel posts are never questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import CallbackQuery, Message, MessageEntity, Update
from telegram.constants import ChatType

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


_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who the bot is, to tell when a group message addresses it."""

    id: int
    username: str | None = None

    @property
    def private_link(self) -> str:
        """A deep link that opens a private chat with the bot (empty when its name is unknown)."""
        return f"https://t.me/{self.username}?start=private" if self.username else ""


def conversation_of(chat_id: int, user_id: int | None, chat_type: str) -> str:
    """The citizen id of a conversation: the chat, or in a group the chat and the member."""
    if chat_type in _GROUPS and user_id is not None:
        return f"{chat_id}:{user_id}"
    return str(chat_id)


def chat_of(citizen_id: str) -> int:
    """The chat a conversation lives in (ValueError when it is not a Telegram chat id)."""
    return int(citizen_id.split(":", 1)[0])


def valid_choice(query: CallbackQuery) -> bool:
    """Whether the tapped button's data is one the bot put on that very message."""
    if query.data is None or not _CHOICE.fullmatch(query.data):
        return False
    message = query.message
    markup = getattr(message, "reply_markup", None) if message is not None else None
    if markup is None:  # an inaccessible (old) message: the number's form is all we can check
        return True
    made = {button.callback_data for row in markup.inline_keyboard for button in row}
    return query.data in made


def to_incoming(account: str, update: Update, me: BotIdentity) -> IncomingMessage | None:
    """The citizen's message in `update`, or None for updates that need no answer."""
    if update.callback_query is not None:
        return _choice(account, update.update_id, update.callback_query, me)
    if update.message is not None:
        return _message(account, update.update_id, update.message, me)
    return None  # channel posts, edits and the rest are not questions to answer


def _choice(
    account: str, update_id: int, query: CallbackQuery, me: BotIdentity
) -> IncomingMessage | None:
    # Our buttons carry only the choice number; anything else was not made by us.
    if not valid_choice(query):
        return None
    message = query.message
    chat_type: str
    if message is None:
        citizen, chat_type = str(query.from_user.id), ChatType.PRIVATE
    else:
        chat_type = message.chat.type
        citizen = conversation_of(message.chat.id, query.from_user.id, chat_type)
    return IncomingMessage(
        channel=CHANNEL,
        account=account,
        citizen_id=citizen,
        text=query.data or "",
        kind="choice",
        external_id=str(update_id),
        reply_pushed=True,
        shared_chat=chat_type in _GROUPS,
        private_link=me.private_link,
    )


def _addressed(message: Message, me: BotIdentity) -> str | None:
    """The text meant for the bot in a group message, or None when it is not addressed to it."""
    text = message.text or message.caption or ""
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == me.id
    mention = f"@{me.username}" if me.username else None
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if mention is not None and value.lower() == mention.lower():
            to_bot = True
            text = text[: entity.offset] + text[entity.offset + entity.length :]
    if mention is not None and _START.match(text) and mention.lower() in text.lower():
        to_bot = True  # /start@bot
    return text.strip() if to_bot else None


def _message(
    account: str, update_id: int, message: Message, me: BotIdentity
) -> IncomingMessage | None:
    chat_type = message.chat.type
    if chat_type == ChatType.CHANNEL:
        return None
    text: str | None = message.text or message.caption or ""
    if chat_type in _GROUPS:
        text = _addressed(message, me)
        if text is None:  # members talking among themselves
            return None
    kind: MessageKind | None
    if message.text is not None:
        kind = "subscribe" if _START.match(message.text) else "text"
    else:
        kind = next((k for attr, k in _MEDIA if getattr(message, attr)), None)
    if kind is None:  # service messages (pins, joins …) are not citizen questions
        return None
    user_id = message.from_user.id if message.from_user is not None else None
    return IncomingMessage(
        channel=CHANNEL,
        account=account,
        citizen_id=conversation_of(message.chat.id, user_id, chat_type),
        text=text or "",
        kind=kind,
        external_id=str(update_id),
        received_at=message.date,
        reply_pushed=True,
        shared_chat=chat_type in _GROUPS,
        private_link=me.private_link,
    )
