"""Step: mask ID-card, phone and bank-card numbers before anything is stored or logged."""

from __future__ import annotations

from handlers.turn import Turn
from nlu.privacy import mask_personal_data


class MaskPersonalData:
    """Everything after this step sees only the masked text."""

    name = "mask"

    def __init__(self, *, store_chars: int) -> None:
        self.store_chars = store_chars

    async def __call__(self, turn: Turn) -> None:
        turn.masked_text = mask_personal_data(turn.message.text[: self.store_chars])
