"""The plain-text form of an alert for chat media: the subject on the first line, then the body."""

from __future__ import annotations

from handlers.alerts.notifiers.base import AlertMessage

_ELLIPSIS = "…"


def plain_text(message: AlertMessage, *, encoding: str, max_bytes: int) -> str:
    """Subject, blank line, body; cut to `max_bytes` in `encoding` (how the medium counts)."""
    text = f"{message.subject}\n\n{message.body}".strip()
    encoded = text.encode(encoding)
    if len(encoded) <= max_bytes:
        return text
    room = max_bytes - len(_ELLIPSIS.encode(encoding))
    # Decoding with "ignore" drops a character (or surrogate pair) split by the cut.
    return encoded[:room].decode(encoding, errors="ignore") + _ELLIPSIS
