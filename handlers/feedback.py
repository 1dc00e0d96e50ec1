"""Was this helpful: a citizen's vote on an answer, and what the bot offers when it was not.

A vote names the answer it rates (the stored reply's row id, or for a channel without buttons
the conversation's latest answer). It is stored once per answer, with the entry's code and live
version and the channel, and nothing about the citizen (`AnswerFeedback`). 没帮助 offers the
other entries that fit the citizen's question as numbered choices (the next message picks one,
as after any clarify question); when there are none, or the entry picked from them is found
unhelpful too, the conversation goes to a human (a ticket with working-day deadlines). When the
conversation is with staff already, the texts say staff will reply rather than how to ask for them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from handlers.compose import HUMAN_KEYWORD, Choice, Reply
from handlers.live_knowledge import LiveKnowledge
from handlers.state import StateStore, StateUnavailable
from handlers.tickets.opening import TicketOpener
from handlers.turn import ConversationState, session_key
from knowledge_base.answer_feedback import record_vote
from knowledge_base.conversations import find_conversation, questions_before, reply_in
from knowledge_base.db import Database
from knowledge_base.models import Conversation, ConversationMode, TicketKind
from nlu.intents import choice_number

log = logging.getLogger(__name__)

THANKS = "感谢您的反馈！如还有其他问题，欢迎继续咨询。"
ALREADY = "您已对这条答复作出过评价，感谢您的反馈。"
NOTHING_TO_RATE = "没有找到可以评价的答复，请直接输入您的问题。"
SORRY = "抱歉没有帮到您。"
ASK_HUMAN = f"请回复“{HUMAN_KEYWORD}”，由工作人员为您解答；也可以换个说法再问一次。"
HANDED_OVER = "已为您转接人工服务，工作人员将在规定时限内回复您，请耐心等待。"
# The conversation is with staff already (转人工 before): nothing to ask for, only to wait.
WITH_STAFF = "您的问题已在人工服务中，工作人员将在规定时限内在此回复您，请耐心等待。"
WAIT_FOR_STAFF = "请稍候，工作人员将在规定时限内在此回复您。"
# The hint WeChat shows under an answer when `feedback_hint` is configured.
WECHAT_HINT = '回复"1"有帮助，"0"没帮助'


@dataclass(frozen=True, slots=True)
class RatedAnswer:
    """The answer a vote is about, and the citizen's question it answered."""

    reply_id: int
    entry_code: str
    question: str
    conversation_id: int
    # The conversation is in human mode: staff will answer, so the citizen is not told to ask.
    with_staff: bool = False


class FeedbackDesk:
    """Records votes and composes the reply to them."""

    def __init__(
        self,
        database: Database,
        knowledge: LiveKnowledge,
        state: StateStore,
        tickets: TicketOpener,
        *,
        max_choices: int,
        session_ttl: float,
    ) -> None:
        self.database = database
        self.knowledge = knowledge
        self.state = state
        self.tickets = tickets
        self.max_choices = max_choices
        self.session_ttl = session_ttl

    async def rate(
        self,
        *,
        channel: str,
        account: str,
        citizen_id: str,
        helpful: bool,
        reply_id: int | None = None,
    ) -> Reply:
        """Store the vote on `reply_id` (default: the conversation's latest message, when it is
        an answer and no choices are waiting for a number) and return what the citizen reads
        next."""
        key = session_key(channel, account, citizen_id)
        if reply_id is None and await self._choices_pending(key):
            return Reply(text=NOTHING_TO_RATE)
        found = await asyncio.to_thread(self._find, channel, account, citizen_id, reply_id)
        if found is None:
            return Reply(text=NOTHING_TO_RATE)
        stored = await asyncio.to_thread(self._store, found, channel, helpful)
        if not stored:
            return Reply(text=ALREADY)
        if helpful:
            return Reply(text=THANKS)
        offered_key = f"feedback-offer:{key}"
        if found.entry_code in await self._offered(offered_key):
            return await self._hand_over(found, account, channel)
        reply = await self._other_choices(found, key)
        if reply is None:
            return await self._hand_over(found, account, channel)
        try:
            await self.state.put(
                offered_key, {"codes": [c.code for c in reply.choices]}, ttl=self.session_ttl
            )
        except StateUnavailable:
            log.debug("state store down; a second 没帮助 will offer choices again")
        return reply

    async def _offered(self, key: str) -> list[str]:
        """The entries offered after the last 没帮助 in this conversation."""
        try:
            return list((await self.state.get(key) or {}).get("codes", []))
        except StateUnavailable:
            return []

    async def _hand_over(self, found: RatedAnswer, account: str, channel: str) -> Reply:
        """Nothing the knowledge base has helped: a ticket for a human."""
        info = self.knowledge.account(account)
        assert info is not None
        await asyncio.to_thread(
            self.tickets.open,
            conversation_id=found.conversation_id,
            account_id=info.id,
            department_id=info.department_id,
            department_code=info.department_code,
            channel=channel,
            kind=TicketKind.CLARIFY_FAILED,
            question=found.question,
            opened_at=self.tickets.clock.now(),
        )
        return Reply(text=SORRY + (WITH_STAFF if found.with_staff else HANDED_OVER), handover=True)

    async def _choices_pending(self, key: str) -> bool:
        try:
            return bool(ConversationState.from_json(await self.state.get(key)).pending)
        except StateUnavailable:
            return False

    def _find(
        self, channel: str, account: str, citizen_id: str, reply_id: int | None
    ) -> RatedAnswer | None:
        info = self.knowledge.account(account)
        if info is None:
            return None
        with self.database.session() as session:
            conversation = find_conversation(
                session, channel=channel, account_id=info.id, citizen_id=citizen_id
            )
            if conversation is None:
                return None
            reply = reply_in(session, conversation_id=conversation, message_id=reply_id)
            # Only an answer from an entry can be rated, and only by its own conversation.
            if reply is None or reply.decision != "answer" or not reply.entry_code:
                return None
            # The question asked: a picked choice number ("2") stands for the question before,
            # and an event (the page opened again, a follow) has no text to ask with.
            asked = questions_before(
                session, conversation_id=conversation, before_id=reply.id, limit=5
            )
            text = next((m.text for m in asked if _is_question(m.kind, m.text)), "")
            found = session.get(Conversation, conversation)
            with_staff = found is not None and found.mode is ConversationMode.HUMAN
            return RatedAnswer(reply.id, reply.entry_code, text, conversation, with_staff)

    def _store(self, found: RatedAnswer, channel: str, helpful: bool) -> bool:
        """False when this answer was rated before (the first vote counts)."""
        try:
            with self.database.session() as session:
                record_vote(
                    session,
                    entry_code=found.entry_code,
                    helpful=helpful,
                    channel=channel,
                    reply_id=found.reply_id,
                )
        except IntegrityError:
            return False
        return True

    async def _other_choices(self, found: RatedAnswer, key: str) -> Reply | None:
        try:
            state: ConversationState | None = ConversationState.from_json(await self.state.get(key))
        except StateUnavailable:
            state = None
        question = found.question
        # A follow-up answered in context was decided on the whole question (身份证丢了补办 多少钱).
        last = state.last if state is not None else None
        if last is not None and last.code == found.entry_code and last.asked:
            question = last.asked
        others = (
            await self.knowledge.engine.alternatives(
                question, exclude=frozenset({found.entry_code}), limit=self.max_choices
            )
            if question
            else ()
        )
        if not others:
            return None
        choices = tuple(Choice(n, item.code, item.question) for n, item in enumerate(others, 1))
        try:
            if state is not None:
                state.pending = tuple(c.code for c in choices)
                state.clarify_misses = 0
                await self.state.put(key, state.to_json(), ttl=self.session_ttl)
        except StateUnavailable:
            state = None
        if state is None:
            log.debug("state store down; the other choices cannot be picked by number")
        numbers = "/".join(str(c.number) for c in choices)
        text = (
            SORRY
            + "您是不是想问：\n"
            + "\n".join(f"{c.number}. {c.question}" for c in choices)
            + f"\n请回复序号（{numbers}）查看；如果都不是，"
            + (WAIT_FOR_STAFF if found.with_staff else ASK_HUMAN)
        )
        return Reply(text=text, choices=choices)


def _is_question(kind: str, text: str) -> bool:
    """A citizen's message that asks something: typed text, not a choice number."""
    return kind == "text" and bool(text.strip()) and choice_number(text) is None
