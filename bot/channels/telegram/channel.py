"""The Telegram channel: one bot per govbot account, updates by webhook or by polling."""

from __future__ import annotations

import asyncio
import functools
import logging

from fastapi import APIRouter
from telegram import Bot, CallbackQuery, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels.base import Channel, Reply, SendOutcome
from bot.channels.parts import TelegramParts
from bot.channels.telegram.keyboards import LiveKeyboards, remove_keyboard
from bot.channels.telegram.render import FEEDBACK_DATA, render
from bot.channels.telegram.settings import TelegramSettings
from bot.channels.telegram.updates import (
    ALLOWED_UPDATES,
    BotIdentity,
    chat_of,
    conversation_of,
    to_incoming,
    valid_choice,
)
from bot.channels.telegram.webhook import webhook_router
from handlers.log_redaction import redact_library_logs
from handlers.telegram_polling import UpdatePoller
from knowledge_base.models import Delivery

log = logging.getLogger(__name__)

# Shown briefly over the chat when an old button is tapped.
STALE_CHOICE = "该选项已失效，请重新输入您的问题。"
# Shown for button data the bot never made; the live buttons stay as they are.
UNKNOWN_CHOICE = "无法识别该选项，请点击消息下方的按钮，或直接输入您的问题。"


def outcome_of(exc: TelegramError) -> SendOutcome:
    """What a failed send means: a refusal that stays, or a passing failure worth retrying."""
    if isinstance(exc, Forbidden):  # the citizen blocked the bot or left the chat
        return SendOutcome(Delivery.FAILED, f"forbidden: {exc.message}")
    if isinstance(exc, BadRequest):  # BadRequest is a NetworkError in python-telegram-bot
        return SendOutcome(Delivery.FAILED, f"BadRequest: {exc.message}")
    passing = isinstance(exc, NetworkError | RetryAfter)
    return SendOutcome(Delivery.FAILED, f"{type(exc).__name__}: {exc.message}", retry=passing)


class TelegramChannel(Channel):
    """Citizens talk to a county account's Telegram bot; the pipeline answers."""

    name = "telegram"

    def __init__(
        self, runtime: TelegramParts, settings: TelegramSettings, *, session_seconds: float
    ) -> None:
        self.runtime = runtime
        self.settings = settings
        tokens = {code: a.token.get_secret_value() for code, a in self.settings.accounts.items()}
        self.bots = {code: Bot(t, base_url=self.settings.base_url) for code, t in tokens.items()}
        # The id is the token's prefix; the user name is learnt when the bot connects.
        self.identities = {code: BotIdentity(int(t.split(":", 1)[0])) for code, t in tokens.items()}
        self._pollers: list[asyncio.Task[None]] = []
        # Clarify buttons live as long as the pipeline remembers the choices they stand for.
        self.keyboards = LiveKeyboards(runtime.state, ttl=session_seconds)

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
        redact_library_logs()  # httpx logs each request's URL, and the URL holds the token
        for account, bot in self.bots.items():
            await self._connect(account, bot)
            if self.settings.mode == "polling":
                poller = UpdatePoller(
                    bot,
                    functools.partial(self.handle, account),
                    name=account,
                    timeout=self.settings.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                )
                task = asyncio.create_task(poller.run(), name=f"telegram-poll-{account}")
                self._pollers.append(task)
            elif self.settings.public_url:
                await self._register_webhook(account, bot)

    async def stop(self) -> None:
        for task in self._pollers:
            task.cancel()
        await asyncio.gather(*self._pollers, return_exceptions=True)
        self._pollers.clear()
        await asyncio.gather(*(bot.shutdown() for bot in self.bots.values()))

    async def handle(self, account: str, update: Update) -> None:
        """Answer one update: run the citizen's message through the pipeline, send the reply."""
        bot = self.bots[account]
        query = update.callback_query
        if query is not None and query.data and FEEDBACK_DATA.match(query.data):
            await self._feedback(bot, account, query)
            return
        if query is not None:
            if not valid_choice(query):
                # Checked before any state changes: a forged tap must not take the real
                # buttons away.
                await self._answer(bot, query, UNKNOWN_CHOICE)
                return
            if not await self._take_tap(bot, account, query):
                return
        incoming = to_incoming(account, update, self.identities[account])
        if incoming is None:
            return
        turn = await self.runtime.handle(incoming)
        if turn.reply is None:  # a re-delivered update, or nothing to say
            return
        chat_id = chat_of(incoming.citizen_id)
        # In a group the answer is threaded under the member's own message.
        reply_to = update.message.message_id if incoming.shared_chat and update.message else None
        try:
            last = await self._post(
                bot, chat_id, turn.reply, reply_to=reply_to, rated_as=turn.reply_id
            )
        except TelegramError as exc:
            log.warning(
                "telegram reply to update %s of %s not sent: %s", update.update_id, account, exc
            )
            await self._record(turn.reply_id, outcome_of(exc))
            return
        await self._record(turn.reply_id, SendOutcome(Delivery.SENT))
        await self.keyboards.replace(
            bot, account, incoming.citizen_id, chat_id, last if turn.reply.choices else None
        )

    async def _record(self, message_id: int | None, outcome: SendOutcome) -> None:
        """Store what Telegram answered; a passing failure waits in the retry queue."""
        if message_id is not None:
            await asyncio.to_thread(self.runtime.deliveries.record, message_id, outcome)

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        bot = self.bots.get(account)
        if bot is None:
            return SendOutcome(Delivery.FAILED, f"no Telegram bot for account {account}")
        try:
            chat_id = chat_of(citizen_id)
        except ValueError:
            return SendOutcome(Delivery.FAILED, f"not a Telegram chat id: {citizen_id}")
        if ":" in citizen_id:  # never post a person's matter into a group
            return SendOutcome(Delivery.FAILED, "群聊中的对话不在群内答复，请群众私聊机器人")
        try:
            await self._post(bot, chat_id, reply)
        except TelegramError as exc:
            return outcome_of(exc)
        return SendOutcome(Delivery.SENT)

    async def _post(
        self,
        bot: Bot,
        chat_id: int,
        reply: Reply,
        *,
        reply_to: int | None = None,
        rated_as: int | None = None,
    ) -> int:
        """Send the reply's messages; the id of the last one, which carries any buttons."""
        message_id = 0
        for part in render(reply, rated_as=rated_as):
            sent = await bot.send_message(
                chat_id, part.text, reply_markup=part.keyboard, reply_to_message_id=reply_to
            )
            message_id = sent.message_id
        return message_id

    async def _feedback(self, bot: Bot, account: str, query: CallbackQuery) -> None:
        """A tap on 有帮助 / 没帮助: the vote is stored for the citizen's own answer and the
        reply (thanks, or the other choices) is sent; the tapped buttons go away."""
        message = query.message
        markup = getattr(message, "reply_markup", None) if message is not None else None
        made = {b.callback_data for row in markup.inline_keyboard for b in row} if markup else set()
        match = FEEDBACK_DATA.match(query.data or "")
        if message is None or match is None or query.data not in made:
            await self._answer(bot, query, UNKNOWN_CHOICE)
            return
        await self._answer(bot, query, None)
        await remove_keyboard(bot, message.chat.id, message.message_id)
        conversation = conversation_of(message.chat.id, query.from_user.id, message.chat.type)
        reply = await self.runtime.feedback.rate(
            channel=self.name,
            account=account,
            citizen_id=conversation,
            helpful=match.group(1) == "1",
            reply_id=int(match.group(2)),
        )
        try:
            last = await self._post(bot, message.chat.id, reply)
        except TelegramError as exc:
            log.warning("telegram reply to a feedback tap of %s not sent: %s", account, exc)
            return
        if reply.choices:  # the other choices are picked like any clarify list
            await self.keyboards.replace(bot, account, conversation, message.chat.id, last)

    @staticmethod
    async def _answer(bot: Bot, query: CallbackQuery, text: str | None) -> None:
        try:
            await bot.answer_callback_query(query.id, text=text)
        except TelegramError as exc:  # a re-delivered or old query
            log.info("telegram callback %s not answered: %s", query.id, exc)

    async def _take_tap(self, bot: Bot, account: str, query: CallbackQuery) -> bool:
        """Acknowledge a button tap and take its keyboard away; True if the choice counts."""
        message = query.message
        conversation = (
            conversation_of(message.chat.id, query.from_user.id, message.chat.type)
            if message is not None
            else ""
        )
        live = message is not None and await self.keyboards.is_live(
            account, conversation, message.message_id
        )
        await self._answer(bot, query, None if live else STALE_CHOICE)  # the tap still counts
        if message is not None:
            await remove_keyboard(bot, message.chat.id, message.message_id)
            if live:
                await self.keyboards.forget(account, conversation)
        return live

    async def _connect(self, account: str, bot: Bot) -> None:
        try:
            await bot.initialize()
        except TelegramError as exc:  # keep serving: sending is retried with each message
            log.error("telegram bot of %s unavailable (%s)", account, type(exc).__name__)
            return
        self.identities[account] = BotIdentity(bot.id, bot.username)

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
