"""The running application: settings, database, state, live engine and the pipeline, built once."""

from __future__ import annotations

from dataclasses import dataclass

from bot.http.address_limits import AddressLimits
from bot.settings import Settings
from handlers.deliveries import Deliveries
from handlers.feedback import FeedbackDesk
from handlers.live_knowledge import LiveKnowledge
from handlers.messages import IncomingMessage
from handlers.pipeline import Pipeline
from handlers.spool import Spool
from handlers.state import StateStore
from handlers.tickets.opening import TicketOpener
from handlers.turn import Turn
from handlers.workdays import WorkCalendar
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database


@dataclass(slots=True)
class Runtime:
    """What the HTTP routes, commands and scheduler share; created by `bot.app.build_runtime`.
    Each channel sees only its part (`bot.channels.parts`)."""

    settings: Settings
    database: Database
    state: StateStore
    knowledge: LiveKnowledge
    pipeline: Pipeline
    calendar: WorkCalendar
    tickets: TicketOpener
    spool: Spool
    clock: CountyClock
    deliveries: Deliveries
    address_limits: AddressLimits
    feedback: FeedbackDesk

    async def handle(self, message: IncomingMessage) -> Turn:
        """Run one citizen message through the pipeline."""
        return await self.pipeline.handle(message)
