"""The plain-text form of an alert for chat media: the subject on the first line, then the body.

An alert longer than the medium allows is sent as several messages, in order, each marked with
its place (（2/3）), instead of being cut: a digest must arrive whole.
"""

from __future__ import annotations

from handlers.alerts.notifiers.base import AlertMessage
from handlers.text_parts import split_text

_MARK_ROOM = 16  # bytes kept free in each part for its "（12/34）" mark


def plain_texts(message: AlertMessage, *, encoding: str, max_bytes: int) -> list[str]:
    """Subject, blank line, body; in parts of at most `max_bytes` in `encoding` (how the medium
    counts), each after the first marked with its number."""
    text = f"{message.subject}\n\n{message.body}".strip()
    if len(text.encode(encoding)) <= max_bytes:
        return [text]
    parts = split_text(text, max_bytes - _MARK_ROOM, encoding=encoding)
    total = len(parts)
    return [
        f"（{i}/{total}）{part}" if i > 1 else f"{part}（1/{total}）"
        for i, part in enumerate(parts, 1)
    ]
