"""Step: while a human owns the conversation the bot only acknowledges, now and then, unless
the citizen asks to talk to the bot again (退出人工) or picks one of the choices 没帮助 offered.
Asking for a human again is answered every time: with the open ticket's reply deadline. 退出人工
while no human owns the conversation is told that the assistant is listening already."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from handlers.compose import Reply
from handlers.state import StateStore, StateUnavailable
from handlers.texts import (
    ALREADY_WITH_BOT,
    ALREADY_WITH_STAFF,
    BACK_TO_BOT,
    EMERGENCY,
    HUMAN_ACK,
)
from handlers.turn import ConversationState, Turn
from knowledge_base.clock import CountyClock
from knowledge_base.conversations import leave_human_mode
from knowledge_base.db import Database
from knowledge_base.tickets import unclosed_ticket
from nlu.intents import EMERGENCY as EMERGENCY_INTENT
from nlu.intents import HUMAN as HUMAN_INTENT
from nlu.intents import choice_number, detect_intent
from nlu.normalize import match_form

_BACK_TO_BOT = re.compile(
    r"^(退出人工|取消人工|不要人工|返回机器人|回到机器人|智能客服|智能咨询)(服务)?$"
)


class HumanMode:
    """Keeps the bot quiet during a hand-over, apart from an occasional acknowledgement."""

    name = "human_mode"

    def __init__(
        self, state: StateStore, database: Database, *, ack_minutes: float, clock: CountyClock
    ) -> None:
        self.state = state
        self.database = database
        self.ack_seconds = ack_minutes * 60
        self.clock = clock

    async def _choices_pending(self, turn: Turn) -> bool:
        try:
            state = ConversationState.from_json(await self.state.get(turn.session_key))
        except StateUnavailable:
            return False
        return bool(state.pending)

    def _reply_due(self, conversation_id: int) -> datetime | None:
        """When staff must next reply: the open ticket's first response, or once that is
        given, its resolution (working-day deadlines set when it opened)."""
        with self.database.session() as session:
            ticket = unclosed_ticket(session, conversation_id=conversation_id)
            if ticket is None:
                return None
            if ticket.first_response_at is None:
                return ticket.first_response_due
            return ticket.resolution_due

    async def _already_with_staff(self, turn: Turn) -> Reply:
        due = None
        if turn.conversation_id is not None:
            due = await asyncio.to_thread(self._reply_due, turn.conversation_id)
        when = "尽快"
        if due is not None:
            local = self.clock.local(due)
            when = f"于{local.month}月{local.day}日{local:%H:%M}前"
        return Reply(text=ALREADY_WITH_STAFF.format(when=when))

    def _leave(self, conversation_id: int) -> None:
        with self.database.session() as session:
            leave_human_mode(session, conversation_id=conversation_id)

    async def __call__(self, turn: Turn) -> None:
        if turn.finished:
            return
        if not turn.human_mode:
            if _BACK_TO_BOT.match(match_form(turn.message.text)):
                turn.settle(Reply(text=ALREADY_WITH_BOT), "already_with_bot")
            return
        if detect_intent(turn.masked_text) is EMERGENCY_INTENT:
            # Whoever owns the conversation, danger comes first, every time.
            turn.settle(Reply(text=EMERGENCY), "emergency")
            return
        if choice_number(turn.masked_text) is not None and await self._choices_pending(turn):
            return  # a pick from the choices 没帮助 offered: the bot answers it
        if turn.conversation_id is not None and _BACK_TO_BOT.match(match_form(turn.message.text)):
            await asyncio.to_thread(self._leave, turn.conversation_id)
            turn.human_mode = False
            turn.settle(Reply(text=BACK_TO_BOT), "back_to_bot")
            return
        if detect_intent(turn.masked_text) is HUMAN_INTENT:
            # Asking again is not silence-worthy: the citizen may think the first one was lost.
            turn.settle(await self._already_with_staff(turn), "human_again")
            return
        try:
            acknowledge = await self.state.claim(f"ack:{turn.session_key}", ttl=self.ack_seconds)
        except StateUnavailable:
            acknowledge = True
        turn.reply = Reply(text=HUMAN_ACK) if acknowledge else None
        turn.note = "human_mode"
        turn.finished = True
