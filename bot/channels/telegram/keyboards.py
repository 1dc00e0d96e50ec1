"""Which clarify buttons still count: only those on the bot's latest reply in a chat.

A button sends back a choice number, and the pipeline reads it against the latest clarify list.
A button on an older message would pick from the wrong list and answer a question the citizen
did not ask, so older keyboards are taken away and their taps refused.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from handlers.state import StateStore, StateUnavailable

log = logging.getLogger(__name__)


class LiveKeyboards:
    """Remembers, per conversation (a private chat, or one member in a group), the message
    whose buttons are live."""

    def __init__(self, state: StateStore, *, ttl: float) -> None:
        self.state = state
        self.ttl = ttl

    @staticmethod
    def _key(account: str, conversation: str) -> str:
        return f"telegram:keyboard:{account}:{conversation}"

    async def is_live(self, account: str, conversation: str, message_id: int) -> bool:
        """Whether a tap on `message_id`'s buttons should reach the pipeline."""
        try:
            live = await self.state.get(self._key(account, conversation))
        except StateUnavailable:
            return True  # without state, trust the tap rather than ignore the citizen
        return live is not None and live.get("message_id") == message_id

    async def replace(
        self, bot: Bot, account: str, conversation: str, chat_id: int, message_id: int | None
    ) -> None:
        """A new reply went out (`message_id` if it has buttons): older buttons go away."""
        key = self._key(account, conversation)
        try:
            previous = await self.state.get(key)
            if message_id is None:
                await self.state.delete(key)
            else:
                await self.state.put(key, {"message_id": message_id}, ttl=self.ttl)
        except StateUnavailable:
            log.warning("state store down; older telegram buttons stay visible")
            return
        if previous is not None and previous.get("message_id") != message_id:
            await remove_keyboard(bot, chat_id, int(previous["message_id"]))

    async def forget(self, account: str, conversation: str) -> None:
        """The live buttons were used and taken away."""
        try:
            await self.state.delete(self._key(account, conversation))
        except StateUnavailable:
            log.warning("state store down; used telegram buttons stay live")


async def remove_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    """Take the buttons off a message; a message too old to edit keeps them."""
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
    except TelegramError as exc:
        log.info("telegram buttons of message %s not removed: %s", message_id, exc)
