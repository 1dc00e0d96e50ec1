"""Long-polling a Telegram bot's getUpdates: the citizens' bots (polling mode) and the staff bot.

Updates are handled one by one, in order; the next getUpdates call with the advanced offset
confirms them to Telegram. One bad update never stops the bot, and network trouble only delays
the next poll (exponential backoff up to a minute).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, Update
from telegram.error import TelegramError

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0


class UpdatePoller:
    """Fetches `bot`'s updates of `allowed_updates` and passes each to `handle`."""

    def __init__(
        self,
        bot: Bot,
        handle: Callable[[Update], Awaitable[None]],
        *,
        name: str,
        timeout: int,
        allowed_updates: Sequence[str],
    ) -> None:
        self.bot = bot
        self.handle = handle
        self.name = name
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self._offset: int | None = None
        self._webhook_cleared = False

    async def poll_once(self) -> int:
        """Fetch and handle one batch; returns how many updates. Raises TelegramError when the
        fetch fails."""
        if not self._webhook_cleared:  # Telegram refuses getUpdates while a webhook is set
            await self.bot.delete_webhook()
            self._webhook_cleared = True
        updates = await self.bot.get_updates(
            offset=self._offset, timeout=self.timeout, allowed_updates=self.allowed_updates
        )
        for update in updates:
            self._offset = update.update_id + 1
            try:
                await self.handle(update)
            except Exception:  # one bad update must not stop the bot
                log.exception("telegram update %s for %s failed", update.update_id, self.name)
        return len(updates)

    async def run(self) -> None:
        """Poll until cancelled."""
        failures = 0
        while True:
            try:
                await self.poll_once()
            except TelegramError as exc:
                failures += 1
                delay = min(2.0**failures, MAX_BACKOFF)
                log.warning(
                    "telegram polling for %s failed: %s; retry in %.0fs", self.name, exc, delay
                )
                await asyncio.sleep(delay)
                continue
            failures = 0
