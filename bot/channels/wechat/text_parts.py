"""Cut a long reply into WeChat-sized text messages, at line ends where possible."""

from __future__ import annotations

# WeChat refuses text messages (passive or customer-service) over 2048 bytes of UTF-8.
MAX_TEXT_BYTES = 2048


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_split(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in line:
        if _size(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Consecutive parts of `text`, each within `limit` bytes; the words are never changed."""
    if _size(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if _size(current + line) <= limit:
            current += line
            continue
        if current:
            parts.append(current)
        pieces = _hard_split(line, limit)
        parts.extend(pieces[:-1])
        current = pieces[-1] if pieces else ""
    if current:
        parts.append(current)
    return [p.rstrip("\n") for p in parts]
