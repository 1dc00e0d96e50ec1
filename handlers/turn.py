"""One message's trip through the pipeline: what is known so far and what was decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handlers.compose import Reply
from handlers.messages import IncomingMessage
from nlu.decision import Decision
from nlu.follow_ups import LastAnswer


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """The addressed account, as the pipeline needs it."""

    id: int
    code: str
    name: str
    platform: str
    department_id: int
    department: str
    department_code: str


@dataclass(slots=True)
class ConversationState:
    """Short-lived state of a conversation, kept in the StateStore between messages."""

    pending: tuple[str, ...] = ()
    clarify_misses: int = 0
    # The entry last answered, the context of follow-up questions while it is fresh.
    last: LastAnswer | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ConversationState:
        """Rebuild from the stored JSON (None for a new conversation)."""
        if not data:
            return cls()
        return cls(
            pending=tuple(data.get("pending", ())),
            clarify_misses=int(data.get("misses", 0)),
            last=LastAnswer.from_json(data.get("last")),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored between messages."""
        data: dict[str, Any] = {"pending": list(self.pending), "misses": self.clarify_misses}
        if self.last is not None:
            data["last"] = self.last.to_json()
        return data


@dataclass(slots=True)
class Turn:
    """Everything the steps share about one incoming message.

    A step that settles the reply sets `reply` and `finished`; later steps that only decide skip
    themselves, while steps that store or hand over still run.
    """

    message: IncomingMessage
    account: AccountInfo | None = None
    masked_text: str = ""
    conversation_id: int | None = None
    human_mode: bool = False
    state: ConversationState = field(default_factory=ConversationState)
    decision: Decision | None = None
    # The decision was made with the last answer's topic joined to the message.
    in_context: bool = False
    reply: Reply | None = None
    duplicate: bool = False
    # The database was unreachable: the turn goes to the local spool instead.
    spooled: bool = False
    finished: bool = False
    reply_id: int | None = None
    ticket_id: int | None = None
    ticket_kind: str | None = None
    note: str = ""  # why a step settled the reply (rate_limited, empty, media …), for the record

    def settle(self, reply: Reply, note: str) -> None:
        """Fix the reply; deciding steps after this one do nothing."""
        self.reply = reply
        self.note = note
        self.finished = True

    @property
    def session_key(self) -> str:
        """StateStore key of this conversation."""
        m = self.message
        return session_key(m.channel, m.account, m.citizen_id)


def session_key(channel: str, account: str, citizen_id: str) -> str:
    """StateStore key of the conversation of `citizen_id` with `account` on `channel`."""
    return f"conv:{channel}:{account}:{citizen_id}"
