"""Rendering a `Reply` as Telegram messages: plain text in pieces that fit, choices as buttons."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.compose import Reply

# Telegram's limit for one message, counted in UTF-16 code units.
MAX_UNITS = 4096


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One sendMessage call. Sent without parse_mode, so the text is shown exactly as written."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


# Callback data of the 有帮助 / 没帮助 buttons: the vote and the stored answer it rates.
FEEDBACK_DATA = re.compile(r"^fb:([01]):(\d{1,18})$")


def render(reply: Reply, *, rated_as: int | None = None) -> list[Outgoing]:
    """The reply's text verbatim, split only when too long; the buttons go with the last part.

    An answer from an entry stored as message `rated_as` carries 有帮助 / 没帮助 buttons.
    """
    parts = split(reply.text)
    keyboard = choice_keyboard(reply) or feedback_keyboard(reply, rated_as)
    return [Outgoing(p) for p in parts[:-1]] + [Outgoing(parts[-1], keyboard)]


def feedback_keyboard(reply: Reply, rated_as: int | None) -> InlineKeyboardMarkup | None:
    """有帮助 / 没帮助 under an answer from an entry."""
    if reply.entry_code is None or rated_as is None:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("有帮助", callback_data=f"fb:1:{rated_as}"),
                InlineKeyboardButton("没帮助", callback_data=f"fb:0:{rated_as}"),
            ]
        ]
    )


def choice_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per clarify choice, a row each so long questions stay readable."""
    if not reply.choices:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"{c.number}. {c.question}", callback_data=str(c.number))]
            for c in reply.choices
        ]
    )


def _fitting(text: str, limit: int) -> int:
    """Length of the longest prefix of `text` within `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split(text: str, limit: int = MAX_UNITS) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut after a line break where there is one."""
    pieces: list[str] = []
    rest = text
    while (end := _fitting(rest, limit)) < len(rest):
        cut = rest.rfind("\n", 1, end) + 1 or end
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces
