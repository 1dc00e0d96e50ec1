"""Long-polling getUpdates for one bot, for machines Telegram cannot reach with a webhook."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.channels.telegram.updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0


async def poll(
    bot: Bot, handle: Callable[[Update], Awaitable[None]], *, account: str, timeout: int
) -> None:
    """Fetch updates and handle them one by one, in order, until cancelled."""
    offset: int | None = None
    failures = 0
    webhook_cleared = False
    while True:
        try:
            if not webhook_cleared:  # Telegram refuses getUpdates while a webhook is set
                await bot.delete_webhook()
                webhook_cleared = True
            updates = await bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
            )
        except TelegramError as exc:
            failures += 1
            delay = min(2.0**failures, MAX_BACKOFF)
            log.warning("telegram polling for %s failed: %s; retry in %.0fs", account, exc, delay)
            await asyncio.sleep(delay)
            continue
        failures = 0
        for update in updates:
            # The next getUpdates call with this offset confirms the update to Telegram.
            offset = update.update_id + 1
            try:
                await handle(update)
            except Exception:  # one bad update must not stop the bot
                log.exception("telegram update %s for %s failed", update.update_id, account)
