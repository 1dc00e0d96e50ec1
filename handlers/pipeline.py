"""The conversation pipeline: small ordered steps and one error hook.

Each step is an async callable taking the `Turn`. The pipeline never knows which channel it
serves; adapters build an `IncomingMessage` and send back whatever `Reply` comes out.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from handlers.compose import Reply
from handlers.messages import IncomingMessage
from handlers.turn import Turn

log = logging.getLogger(__name__)


class Step(Protocol):
    """One stage of handling a message."""

    name: str

    async def __call__(self, turn: Turn) -> None: ...


ErrorHook = Callable[[Turn, Exception], Awaitable[Reply]]


class UnknownAccount(Exception):
    """The message addressed an account that is not in the registry (or is closed)."""


class Pipeline:
    """Runs the steps in order; any failure goes to the error hook, which still answers."""

    def __init__(self, steps: Sequence[Step], on_error: ErrorHook) -> None:
        self.steps = tuple(steps)
        self.on_error = on_error

    async def handle(self, message: IncomingMessage) -> Turn:
        """Process one message; the returned turn carries the reply (None for a duplicate)."""
        turn = Turn(message=message)
        for step in self.steps:
            if turn.duplicate:
                break
            try:
                await step(turn)
            except UnknownAccount:
                raise
            except Exception as exc:  # the citizen must still get an answer
                log.exception("step %s failed on %s message", step.name, message.channel)
                turn.reply = await self.on_error(turn, exc)
                turn.note = f"error:{step.name}"
                break
        return turn
