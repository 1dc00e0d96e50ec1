"""Helpers to run an engine synchronously in tests."""

from __future__ import annotations

import asyncio

from nlu.base import Nlu
from nlu.decision import Decision


def decide(
    engine: Nlu, text: str, *, department: str | None = None, pending: tuple[str, ...] = ()
) -> Decision:
    """The engine's decision on `text`, run to completion."""
    return asyncio.run(engine.decide(text, department=department, pending=pending))
