"""The standard pipeline: the steps in their order, wired to the runtime's parts."""

from __future__ import annotations

from handlers.feedback import FeedbackDesk
from handlers.live_knowledge import LiveKnowledge
from handlers.pipeline import Pipeline
from handlers.rate_limits import Limiter
from handlers.recovery import TicketOnError
from handlers.settings import PipelineSettings
from handlers.spool import Spool
from handlers.state import StateStore
from handlers.steps.account import ResolveAccount
from handlers.steps.decide import Decide
from handlers.steps.dedupe import Deduplicate
from handlers.steps.follow_up import FollowUp
from handlers.steps.handover import HandOver
from handlers.steps.human_mode import HumanMode
from handlers.steps.mask import MaskPersonalData
from handlers.steps.rate_limit import RateLimit
from handlers.steps.reply import ComposeReply, StoreReply
from handlers.steps.screen import Screen
from handlers.steps.store_incoming import StoreIncoming
from handlers.steps.typed_feedback import TypedFeedback
from handlers.tickets.opening import TicketOpener
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database


def build_pipeline(
    *,
    database: Database,
    state: StateStore,
    limiter: Limiter,
    knowledge: LiveKnowledge,
    settings: PipelineSettings,
    tickets: TicketOpener,
    spool: Spool,
    clock: CountyClock,
    feedback: FeedbackDesk,
) -> Pipeline:
    """deduplicate → mask → rate-limit → store → screen → typed 没帮助 → human mode → decide →
    follow up → hand over → compose → store the reply."""
    return Pipeline(
        [
            ResolveAccount(knowledge),
            Deduplicate(state, ttl=settings.dedup_seconds),
            MaskPersonalData(store_chars=settings.store_chars),
            RateLimit(limiter, per_minute=settings.rate_limit_per_minute),
            StoreIncoming(database),
            Screen(),
            TypedFeedback(feedback),
            HumanMode(state, database, ack_minutes=settings.human_ack_minutes, clock=clock),
            Decide(
                knowledge,
                state,
                decide_chars=settings.decide_chars,
                clock=clock,
                follow_up_seconds=settings.follow_up_minutes * 60,
                follow_up_answer_at=settings.follow_up_answer_at,
            ),
            FollowUp(
                state,
                misses_for_handover=settings.clarify_misses_for_handover,
                ttl=settings.session_hours * 3600,
                clock=clock,
                answer_at=settings.follow_up_answer_at,
            ),
            HandOver(tickets),
            ComposeReply(),
            StoreReply(database, spool),
        ],
        on_error=TicketOnError(tickets),
    )
