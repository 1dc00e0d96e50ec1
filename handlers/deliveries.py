"""Replies pushed to citizens: their delivery state comes only from the platform's answer.

A reply that leaves by a push (a Telegram message, a WeChat customer-service message, a staff
reply) is stored as pending. The platform's answer settles it: sent; or, for a passing failure
(the platform unreachable, a rate limit), still pending with the next attempt due after a
backoff — the redelivery job tries again, as the alert outbox does; or failed with the
platform's error after the last attempt, or at once for a refusal that cannot change (the citizen
blocked the bot, WeChat's 48-hour window closed). A staff reply that is finally delivered answers
its ticket; one that finally failed is noted on the ticket and reported to its author.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from handlers.messages import SendOutcome
from knowledge_base.clock import CountyClock
from knowledge_base.conversations import lock_due_pushes
from knowledge_base.db import Database
from knowledge_base.models import Delivery, Message, Ticket, TicketStatus
from knowledge_base.tickets import unclosed_ticket

STAFF_PREFIX = "staff:"
# Decision of the notice that a ticket moved (转办): written by staff, yet not an answer.
TRANSFER_NOTICE = "transfer"
# A pending push not answered within this time is taken by the redelivery job.
LEASE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how far apart pushes to citizens are tried."""

    max_attempts: int = 6
    retry_seconds: float = 30


@dataclass(frozen=True, slots=True)
class Settled:
    """The state a push ended in after one attempt."""

    message_id: int
    state: Delivery
    detail: str
    author: str
    ticket_id: int | None


@dataclass(frozen=True, slots=True)
class DuePush:
    """A pending reply whose next attempt is due, with where it goes."""

    message_id: int
    channel: str
    account: str
    citizen_id: str
    text: str


class Deliveries:
    """Records platform answers and hands out the pushes that are due again."""

    def __init__(
        self, database: Database, clock: CountyClock, policy: RetryPolicy | None = None
    ) -> None:
        self.database = database
        self.clock = clock
        self.policy = policy or RetryPolicy()

    def expect(self, message_id: int) -> None:
        """A stored reply is about to be pushed: pending until the platform answers, and taken
        by the redelivery job should no answer come within the lease."""
        with self.database.session() as session:
            message = session.get(Message, message_id)
            if message is not None:
                message.delivery = Delivery.PENDING
                message.delivery_next_at = self.clock.now() + LEASE

    def record(self, message_id: int, outcome: SendOutcome) -> Settled:
        """Store what the platform answered for one attempt (blocking)."""
        now = self.clock.now()
        with self.database.session() as session:
            message = session.get(Message, message_id)
            if message is None:
                raise LookupError(f"no message {message_id}")
            message.delivery_attempts += 1
            if outcome.status is Delivery.SENT:
                message.delivery = Delivery.SENT
                message.delivery_error = ""
                message.delivery_next_at = None
            elif outcome.retry and message.delivery_attempts < self.policy.max_attempts:
                message.delivery = Delivery.PENDING
                message.delivery_error = outcome.detail
                backoff = self.policy.retry_seconds * 2 ** (message.delivery_attempts - 1)
                message.delivery_next_at = now + timedelta(seconds=backoff)
            else:
                message.delivery = Delivery.FAILED
                message.delivery_error = outcome.detail
                message.delivery_next_at = None
            ticket = None
            if message.author.startswith(STAFF_PREFIX) and message.decision != TRANSFER_NOTICE:
                ticket = unclosed_ticket(session, conversation_id=message.conversation_id)
                if ticket is not None:
                    self._note(ticket, message, now_text=self.clock.show(now))
            return Settled(
                message_id=message.id,
                state=message.delivery,
                detail=outcome.detail,
                author=message.author,
                ticket_id=ticket.id if ticket is not None else None,
            )

    def _note(self, ticket: Ticket, message: Message, *, now_text: str) -> None:
        """What the ticket says about its staff reply's delivery."""
        if message.delivery is Delivery.SENT:
            now = self.clock.now()
            ticket.status = TicketStatus.ANSWERED
            ticket.answered_at = now
            ticket.answered_by = message.author.removeprefix(STAFF_PREFIX)
            if ticket.first_response_at is None:
                ticket.first_response_at = now
            ticket.note = ""
        elif message.delivery is Delivery.PENDING:
            ticket.note = f"{now_text} 答复暂未送达（{message.delivery_error}），系统将自动重试"
        else:
            ticket.note = f"{now_text} 答复未送达：{message.delivery_error}"

    def claim_due(self, limit: int = 50) -> list[DuePush]:
        """Pending pushes whose next attempt is due, leased so one process sends each."""
        now = self.clock.now()
        with self.database.session() as session:
            rows = lock_due_pushes(session, now=now, limit=limit)
            due = []
            for row in rows:
                row.delivery_next_at = now + LEASE
                conversation = row.conversation
                due.append(
                    DuePush(
                        message_id=row.id,
                        channel=conversation.channel,
                        account=conversation.account.code,
                        citizen_id=conversation.citizen_id,
                        text=row.text,
                    )
                )
            return due
