"""Answer a push inside the platform's window (WeChat and Weibo: 5 seconds), or acknowledge it
and send the answer later through the platform's send API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from bot.channels.parts import TelegramParts
from bot.channels.pushed.reply_route import ReplyRoute
from handlers.feedback import NOTHING_TO_RATE, WECHAT_HINT
from handlers.messages import IncomingMessage, SendOutcome
from handlers.turn import Turn
from nlu.intents import choice_number
from nlu.normalize import match_form

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0  # how long shutdown waits for answers still on their way
# With the feedback hint on, a reply of just 1 or 0 after an answer is a vote on it.
_VOTES = {"1": True, "0": False}


class Sender(Protocol):
    """The platform's API for messages outside a request (WeChat customer service, Weibo reply)."""

    async def send_text(self, *, account: str, citizen_id: str, text: str) -> SendOutcome:
        """Send `text` (in parts when too long); never raises."""
        ...


class Answering:
    """Runs the pipeline under the passive-reply budget; late answers go by the send API."""

    def __init__(
        self,
        runtime: TelegramParts,
        sender: Sender,
        *,
        budget_seconds: float,
        parts: Callable[[str], list[str]],
        channel: str,
        feedback_hint: bool = False,
    ) -> None:
        self._runtime = runtime
        self._sender = sender
        self._feedback_hint = feedback_hint
        self._route = ReplyRoute(runtime.state, prefix=channel)
        self._budget = budget_seconds
        self._parts = parts
        self._channel = channel
        self._background: set[asyncio.Task[Any]] = set()

    async def answer(
        self, message: IncomingMessage | None, *, account: str, started: float
    ) -> str | None:
        """The text of the passive reply, or None to acknowledge without one.

        `started` is the loop time the request arrived: decrypting and parsing count against
        the budget too.
        """
        if message is None:
            return None
        key = f"{account}:{message.citizen_id}:{message.external_id}"
        # -1 reads as 1 once signs are dropped: the signed number decides.
        signed = choice_number(message.text) if self._feedback_hint else None
        vote = _VOTES.get(match_form(message.text)) if signed in (0, 1) else None
        if vote is not None and message.kind == "text":
            rated = await self._runtime.feedback.rate(
                channel=message.channel,
                account=account,
                citizen_id=message.citizen_id,
                helpful=vote,
            )
            # After anything but an answer, 1 and 0 are ordinary messages (a clarify choice).
            if rated.text != NOTHING_TO_RATE:
                return rated.text
        work = asyncio.create_task(self._runtime.handle(message))
        remaining = max(0.0, self._budget - (asyncio.get_running_loop().time() - started))
        try:
            done, _ = await asyncio.wait({work}, timeout=remaining)
        except asyncio.CancelledError:
            # The request was abandoned; the answer must still reach the citizen.
            self._spawn(self._finish_late(work, message, account=account, key=key))
            raise
        if work not in done:
            self._spawn(self._finish_late(work, message, account=account, key=key))
            return None
        return await self._settle(work.result(), message, account=account, key=key, in_time=True)

    async def _finish_late(
        self, work: asyncio.Task[Turn], message: IncomingMessage, *, account: str, key: str
    ) -> None:
        try:
            turn = await work
        except Exception:
            log.exception(
                "%s message via %s failed after the passive-reply window", self._channel, account
            )
            return
        await self._settle(turn, message, account=account, key=key, in_time=False)

    async def _settle(
        self, turn: Turn, message: IncomingMessage, *, account: str, key: str, in_time: bool
    ) -> str | None:
        """Passive text, or None after arranging whatever later message is due."""
        if turn.duplicate:
            text = await self._route.lost_answer(key)
        elif turn.reply is None:  # a human owns the conversation, or nothing to say
            text = None
        else:
            text = turn.reply.text
            if self._feedback_hint and turn.reply.entry_code is not None:
                text += f"\n\n{WECHAT_HINT}"
            # A passive reply is one message; a longer answer goes out in parts, in order.
            fits = len(self._parts(text)) == 1
            if in_time and fits and await self._route.answer_passively(key, text):
                return text
        if text is not None:
            self._spawn(
                self._push(turn.reply_id, account=account, citizen_id=message.citizen_id, text=text)
            )
        return None

    async def _push(
        self, message_id: int | None, *, account: str, citizen_id: str, text: str
    ) -> None:
        """Send by the API; the stored reply's state is what the platform answered, and a
        passing failure waits in the retry queue instead of being lost."""
        deliveries = self._runtime.deliveries
        if message_id is not None:
            await asyncio.to_thread(deliveries.expect, message_id)
        outcome = await self._sender.send_text(account=account, citizen_id=citizen_id, text=text)
        if message_id is not None:
            await asyncio.to_thread(deliveries.record, message_id, outcome)

    def _spawn(self, job: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(job)
        self._background.add(task)  # keep a reference: the loop holds tasks only weakly
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """On shutdown, let answers already on their way reach the citizens."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_SECONDS
        # A late answer, once ready, starts its send: wait for those too.
        while self._background and (remaining := deadline - loop.time()) > 0:
            await asyncio.wait(set(self._background), timeout=remaining)
        if self._background:
            log.warning(
                "%d %s answers not delivered before shutdown", len(self._background), self._channel
            )
        for task in list(self._background):
            task.cancel()
