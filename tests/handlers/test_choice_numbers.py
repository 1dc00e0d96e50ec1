"""Numbered choices: a number the choices do not have gets the valid range, not an answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from handlers.turn import Turn

Ask = Callable[..., Awaitable[Turn]]


@pytest.mark.parametrize("number", ["5", "0", "-1", "－1", "负1"])
async def test_a_number_outside_the_choices_gets_the_valid_range(ask: Ask, number: str) -> None:
    offer = await ask("身份证快过期了")
    assert offer.reply is not None and len(offer.reply.choices) == 3
    wrong = await ask(number)
    assert wrong.decision is not None and wrong.decision.kind != "answer"
    assert wrong.reply is not None and "1到3" in wrong.reply.text
    # The choices are still there: a number in range picks one.
    picked = await ask("2")
    assert picked.decision is not None and picked.decision.item is not None
    assert picked.decision.item.code == offer.reply.choices[1].code
