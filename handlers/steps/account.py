"""Step: find the addressed account (its department decides what is "ours")."""

from __future__ import annotations

from handlers.live_knowledge import LiveKnowledge
from handlers.pipeline import UnknownAccount
from handlers.turn import Turn


class ResolveAccount:
    """Attach the account; an unknown or closed account is refused before anything is stored."""

    name = "account"

    def __init__(self, knowledge: LiveKnowledge) -> None:
        self.knowledge = knowledge

    async def __call__(self, turn: Turn) -> None:
        account = self.knowledge.account(turn.message.account)
        if account is None:
            raise UnknownAccount(turn.message.account)
        turn.account = account
