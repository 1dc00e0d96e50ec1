"""Step: 没帮助 typed after an answer does what the 没帮助 button does (`handlers.feedback`):
the vote is stored and other entries that fit the question are offered, or staff take over."""

from __future__ import annotations

import re

from handlers.feedback import FeedbackDesk
from handlers.turn import Turn
from nlu.normalize import match_form

# The whole message says the last answer did not help (没帮助, 没有帮助, 这个回答没帮到我).
_UNHELPFUL = re.compile(
    r"^(这个|这)?(答复|回答|答案)?(没|没有|没什么|没啥)(帮助|帮到我?|帮上忙)(啊|呀|了|的|呢)?$"
)


class TypedFeedback:
    """Reads a typed 没帮助 as a vote on the conversation's latest answer."""

    name = "typed_feedback"

    def __init__(self, feedback: FeedbackDesk) -> None:
        self.feedback = feedback

    async def __call__(self, turn: Turn) -> None:
        if turn.finished or turn.message.kind != "text":
            return
        if not _UNHELPFUL.match(match_form(turn.masked_text)):
            return
        m = turn.message
        reply = await self.feedback.rate(
            channel=m.channel, account=m.account, citizen_id=m.citizen_id, helpful=False
        )
        turn.settle(reply, "typed_feedback")
