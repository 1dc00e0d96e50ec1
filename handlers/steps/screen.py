"""Step: answer what needs no engine: follows, media, empty or symbol-only text."""

from __future__ import annotations

from handlers.compose import Reply
from handlers.texts import EMPTY, MEDIA, WELCOME
from handlers.turn import Turn
from nlu.normalize import match_form


class Screen:
    """Settles replies for events and unreadable messages."""

    name = "screen"

    async def __call__(self, turn: Turn) -> None:
        if turn.finished:
            return
        m = turn.message
        if m.kind == "subscribe":
            assert turn.account is not None
            turn.settle(Reply(text=WELCOME.format(account=turn.account.name)), "welcome")
        elif m.kind in ("image", "voice", "location", "other"):
            turn.settle(Reply(text=MEDIA), "media")
        elif m.kind == "text" and not match_form(turn.masked_text):
            turn.settle(Reply(text=EMPTY), "empty")
