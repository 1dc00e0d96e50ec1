"""Opening a ticket for a turn: the responsible department, the deadlines, human mode."""

from __future__ import annotations

from datetime import datetime

from handlers.tickets.policy import TicketSettings, deadlines_for
from handlers.turn import Turn
from handlers.workdays import WorkCalendar
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database
from knowledge_base.models import TicketKind
from knowledge_base.tickets import open_ticket


class TicketOpener:
    """Creates (or reuses) the conversation's open ticket with its working-day deadlines."""

    def __init__(
        self,
        database: Database,
        settings: TicketSettings,
        calendar: WorkCalendar,
        *,
        clock: CountyClock | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.calendar = calendar
        self.clock = clock or CountyClock(calendar.tz)

    def open_for(self, turn: Turn, kind: TicketKind) -> int:
        """Open a ticket for the turn's conversation (blocking; run it in a thread)."""
        assert turn.account is not None and turn.conversation_id is not None
        return self.open(
            conversation_id=turn.conversation_id,
            account_id=turn.account.id,
            department_id=turn.account.department_id,
            department_code=turn.account.department_code,
            channel=turn.message.channel,
            kind=kind,
            question=turn.masked_text,
            opened_at=self.clock.now(),
        )

    def open(
        self,
        *,
        conversation_id: int,
        account_id: int,
        department_id: int,
        department_code: str,
        channel: str,
        kind: TicketKind,
        question: str,
        opened_at: datetime,
    ) -> int:
        """Open (or reuse) a ticket with deadlines counted from `opened_at`."""
        deadlines = deadlines_for(
            self.settings,
            self.calendar,
            kind=kind.value,
            department=department_code,
            opened_at=opened_at,
        )
        with self.database.session() as session:
            ticket = open_ticket(
                session,
                conversation_id=conversation_id,
                account_id=account_id,
                department_id=department_id,
                channel=channel,
                kind=kind,
                question=question,
                opened_at=opened_at,
                deadlines=deadlines,
            )
            return ticket.id
