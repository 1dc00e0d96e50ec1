"""The Telegram channel: one bot per govbot account, updates by webhook or by polling."""

from __future__ import annotations

import asyncio
import functools
import logging

from fastapi import APIRouter
from telegram import Bot, CallbackQuery, Update
from telegram.error import Forbidden, TelegramError

from bot.channels.base import Channel, Delivery, Reply
from bot.channels.telegram.keyboards import LiveKeyboards, remove_keyboard
from bot.channels.telegram.polling import poll
from bot.channels.telegram.render import render
from bot.channels.telegram.tokens import HTTP_LOGGER, HideTokens
from bot.channels.telegram.updates import ALLOWED_UPDATES, to_incoming
from bot.channels.telegram.webhook import webhook_router
from bot.runtime import Runtime

log = logging.getLogger(__name__)

# Shown briefly over the chat when an old button is tapped.
STALE_CHOICE = "该选项已失效，请重新输入您的问题。"


class TelegramChannel(Channel):
    """Citizens talk to a county account's Telegram bot; the pipeline answers."""

    name = "telegram"

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.settings = runtime.settings.telegram
        tokens = {code: a.token.get_secret_value() for code, a in self.settings.accounts.items()}
        self.bots = {code: Bot(t, base_url=self.settings.base_url) for code, t in tokens.items()}
        self._hide_tokens = HideTokens(tokens.values())
        self._pollers: list[asyncio.Task[None]] = []
        # Clarify buttons live as long as the pipeline remembers the choices they stand for.
        self.keyboards = LiveKeyboards(
            runtime.state, ttl=runtime.settings.pipeline.session_hours * 3600
        )

    def router(self) -> APIRouter | None:
        if self.settings.mode != "webhook":
            return None
        secrets = {
            code: a.webhook_secret.get_secret_value()
            for code, a in self.settings.accounts.items()
            if a.webhook_secret is not None
        }
        return webhook_router(self.bots, secrets, self.handle)

    async def start(self) -> None:
        logging.getLogger(HTTP_LOGGER).addFilter(self._hide_tokens)
        for account, bot in self.bots.items():
            await self._connect(account, bot)
            if self.settings.mode == "polling":
                task = asyncio.create_task(
                    poll(
                        bot,
                        functools.partial(self.handle, account),
                        account=account,
                        timeout=self.settings.poll_timeout,
                    ),
                    name=f"telegram-poll-{account}",
                )
                self._pollers.append(task)
            elif self.settings.public_url:
                await self._register_webhook(account, bot)

    async def stop(self) -> None:
        for task in self._pollers:
            task.cancel()
        await asyncio.gather(*self._pollers, return_exceptions=True)
        self._pollers.clear()
        await asyncio.gather(*(bot.shutdown() for bot in self.bots.values()))
        logging.getLogger(HTTP_LOGGER).removeFilter(self._hide_tokens)

    async def handle(self, account: str, update: Update) -> None:
        """Answer one update: run the citizen's message through the pipeline, send the reply."""
        bot = self.bots[account]
        query = update.callback_query
        if query is not None and not await self._take_tap(bot, account, query):
            return
        incoming = to_incoming(account, update)
        if incoming is None:
            return
        turn = await self.runtime.handle(incoming)
        if turn.reply is None:  # a re-delivered update, or nothing to say
            return
        chat_id = int(incoming.citizen_id)
        try:
            last = await self._post(bot, chat_id, turn.reply)
        except TelegramError as exc:
            log.warning(
                "telegram reply to update %s of %s not sent: %s", update.update_id, account, exc
            )
            return
        await self.keyboards.replace(bot, account, chat_id, last if turn.reply.choices else None)

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> Delivery:
        bot = self.bots.get(account)
        if bot is None:
            return Delivery("failed", f"no Telegram bot for account {account}")
        try:
            chat_id = int(citizen_id)
        except ValueError:
            return Delivery("failed", f"not a Telegram chat id: {citizen_id}")
        try:
            await self._post(bot, chat_id, reply)
        except Forbidden as exc:  # the citizen blocked the bot or left the chat
            return Delivery("failed", f"forbidden: {exc.message}")
        except TelegramError as exc:
            return Delivery("failed", f"{type(exc).__name__}: {exc.message}")
        return Delivery("sent")

    async def _post(self, bot: Bot, chat_id: int, reply: Reply) -> int:
        """Send the reply's messages; the id of the last one, which carries any buttons."""
        message_id = 0
        for part in render(reply):
            sent = await bot.send_message(chat_id, part.text, reply_markup=part.keyboard)
            message_id = sent.message_id
        return message_id

    async def _take_tap(self, bot: Bot, account: str, query: CallbackQuery) -> bool:
        """Acknowledge a button tap and take its keyboard away; True if the choice counts."""
        message = query.message
        live = message is not None and await self.keyboards.is_live(
            account, message.chat.id, message.message_id
        )
        try:
            await bot.answer_callback_query(query.id, text=None if live else STALE_CHOICE)
        except TelegramError as exc:  # a re-delivered or old query; the tap still counts
            log.info("telegram callback %s not answered: %s", query.id, exc)
        if message is not None:
            await remove_keyboard(bot, message.chat.id, message.message_id)
            if live:
                await self.keyboards.forget(account, message.chat.id)
        return live

    async def _connect(self, account: str, bot: Bot) -> None:
        try:
            await bot.initialize()
        except TelegramError as exc:  # keep serving: sending is retried with each message
            log.error("telegram bot of %s unavailable (%s)", account, type(exc).__name__)

    async def _register_webhook(self, account: str, bot: Bot) -> None:
        secret = self.settings.accounts[account].webhook_secret
        try:
            await bot.set_webhook(
                url=f"{self.settings.public_url}/telegram/{account}",
                secret_token=secret.get_secret_value() if secret else None,
                allowed_updates=ALLOWED_UPDATES,
            )
        except TelegramError as exc:
            log.error("telegram webhook of %s not registered: %s", account, exc)
