"""Cut a long text into platform-sized messages, in order, at line ends where possible.

Platforms count a message's length differently (WeChat and WeCom in UTF-8 bytes, Telegram in
UTF-16 code units), so the limit is given in bytes of an encoding. The words are never changed
and nothing is dropped: a text over the limit becomes several messages.
"""

from __future__ import annotations

# WeChat refuses text messages (passive or customer-service) over 2048 bytes of UTF-8.
MAX_TEXT_BYTES = 2048


def _size(text: str, encoding: str) -> int:
    return len(text.encode(encoding))


def _hard_split(line: str, limit: int, encoding: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in line:
        if _size(current + char, encoding) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def split_text(text: str, limit: int = MAX_TEXT_BYTES, *, encoding: str = "utf-8") -> list[str]:
    """Consecutive parts of `text`, each within `limit` bytes in `encoding`."""
    if _size(text, encoding) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if _size(current + line, encoding) <= limit:
            current += line
            continue
        if current:
            parts.append(current)
        pieces = _hard_split(line, limit, encoding)
        parts.extend(pieces[:-1])
        current = pieces[-1] if pieces else ""
    if current:
        parts.append(current)
    return [p.rstrip("\n") for p in parts]
