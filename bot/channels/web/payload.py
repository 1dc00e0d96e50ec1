"""The JSON form of a reply for the web chat (text plus choices, referral card, hand-over flag)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from handlers.compose import Reply


def reply_payload(reply: Reply) -> dict[str, Any]:
    """Every field of the reply; the page shows choices as buttons and the card with a phone."""
    return asdict(reply)
