"""Staff answer a ticket by replying to its Telegram alert: the reply reaches the citizen.

The staff bot (the Telegram notifier's token) is polled for messages; a message that replies to
an alert we sent is matched, by the alert's Telegram message id and the sender's chat, to the
alert's ticket, and delivered through the ticket service. The staff member gets the outcome.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from telegram import Bot, Update

from handlers.deliveries import Deliveries
from handlers.telegram_polling import UpdatePoller
from handlers.tickets.service import ReplyChannel, reply
from knowledge_base.alerts import ticket_replied_to
from knowledge_base.db import Database
from knowledge_base.errors import KbError

log = logging.getLogger(__name__)


def ticket_for_reply(
    database: Database, *, chat_id: str, replied_message_id: str
) -> tuple[int, str] | None:
    """The ticket and staff name behind the alert this chat is replying to, if any."""
    with database.session() as session:
        return ticket_replied_to(
            session, notifier="telegram", chat_id=chat_id, replied_message_id=replied_message_id
        )


class TelegramStaffReplies:
    """Long-polls the staff bot and turns replies to ticket alerts into ticket answers."""

    def __init__(
        self,
        database: Database,
        channels: Mapping[str, ReplyChannel],
        *,
        deliveries: Deliveries,
        token: str,
        base_url: str = "https://api.telegram.org/bot",
        poll_timeout: int = 30,
    ) -> None:
        self.database = database
        self.channels = channels
        self.deliveries = deliveries
        self.bot = Bot(token, base_url=base_url)
        self._poller = UpdatePoller(
            self.bot,
            self.handle,
            name="staff bot",
            timeout=poll_timeout,
            allowed_updates=["message"],
        )

    async def handle(self, update: Update) -> None:
        """Answer the ticket an alert reply belongs to, and tell the staff member the outcome."""
        message = update.message
        if message is None or message.reply_to_message is None or not message.text:
            return
        chat_id = str(message.chat_id)
        found = await asyncio.to_thread(
            ticket_for_reply,
            self.database,
            chat_id=chat_id,
            replied_message_id=str(message.reply_to_message.message_id),
        )
        if found is None:
            await self.bot.send_message(chat_id, "请直接回复工单提醒消息，以便将答复送达群众。")
            return
        ticket_id, staff = found
        try:
            outcome = await reply(
                self.database,
                self.channels,
                ticket_id=ticket_id,
                text=message.text,
                staff=staff,
                deliveries=self.deliveries,
            )
            note = f"工单 #{ticket_id}：{outcome.detail}"
        except KbError as exc:
            note = f"工单 #{ticket_id}：{exc}"
        await self.bot.send_message(chat_id, note, reply_to_message_id=message.message_id)

    async def poll_once(self) -> int:
        """Fetch and handle one batch of updates; returns how many."""
        return await self._poller.poll_once()

    async def run(self) -> None:
        """Poll until cancelled; network trouble only delays the next poll."""
        await self._poller.run()
