"""Alerts as Telegram messages from the duty bot, through python-telegram-bot."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from handlers.alerts.notifiers.base import AlertMessage, Notifier, NotifierError, Recipient
from handlers.alerts.notifiers.text import plain_texts
from handlers.log_redaction import redact, redact_library_logs

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
_MAX_UTF16_BYTES = 4096 * 2  # Telegram counts a text's length in UTF-16 code units


class TelegramNotifier(Notifier):
    """Sends to `recipient.telegram_chat_id`; returns Telegram's message id."""

    name = "telegram"

    def __init__(self, token: str, *, base_url: str = TELEGRAM_BASE_URL) -> None:
        redact_library_logs()
        # No `initialize()`: it would spend a getMe call and put the token in its error message.
        self._bot = Bot(token, base_url=base_url)

    def reaches(self, recipient: Recipient) -> bool:
        return bool(recipient.telegram_chat_id)

    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        first = ""
        for text in plain_texts(message, encoding="utf-16-le", max_bytes=_MAX_UTF16_BYTES):
            sent = await self._send(recipient, text)
            # Staff answer a ticket by replying to the alert: its first message carries it.
            first = first or sent
        return first

    async def _send(self, recipient: Recipient, text: str) -> str:
        try:
            sent = await self._bot.send_message(chat_id=recipient.telegram_chat_id, text=text)
        except (Forbidden, BadRequest, ChatMigrated) as exc:
            # Blocked bot, unknown chat, group upgraded: the same request can never succeed.
            raise NotifierError(
                f"Telegram refused chat {recipient.telegram_chat_id}: {exc}", retry=False
            ) from exc
        except TelegramError as exc:  # network errors, timeouts, flood control, server errors
            raise NotifierError(f"Telegram unavailable: {redact(str(exc))}") from exc
        return str(sent.message_id)

    async def close(self) -> None:
        await self._bot.shutdown()
