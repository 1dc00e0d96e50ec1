"""How a conversation flows on the sample county through the whole bot: what closes the matter
talked about, what a citizen already with staff is told, and a new matter after choices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from handlers.turn import Turn

Ask = Callable[..., Awaitable[Turn]]


@pytest.mark.parametrize("closing", ["谢谢", "再见"])
async def test_after_thanks_or_goodbye_the_next_message_is_read_afresh(
    ask: Ask, closing: str
) -> None:
    answer = await ask("身份证丢了怎么补办", citizen="closing")
    assert answer.decision is not None and answer.decision.item is not None
    # Without the closing word the same follow-up is read in the answer's context …
    await ask("身份证丢了怎么补办", citizen="continuing")
    continued = await ask("要多少钱", citizen="continuing")
    assert continued.in_context and continued.decision is not None
    assert continued.decision.item == answer.decision.item
    # … after it, the conversation starts again.
    await ask(closing, citizen="closing")
    fresh = await ask("要多少钱", citizen="closing")
    assert not fresh.in_context and fresh.decision is not None
    assert fresh.decision.item != answer.decision.item
