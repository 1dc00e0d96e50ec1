"""The app factory: builds the context (settings, database, clock), the runtime (engine, state,
pipeline) and the HTTP application; `app_factory` does all three inside each uvicorn worker
(`uvicorn bot.app:app_factory --factory --workers N`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from fastapi import FastAPI

from bot.api.routes import staff_router
from bot.channels.base import Channel
from bot.channels.comments.wiring import build_desk
from bot.channels.registry import enabled_channels
from bot.console.mount import mount_console
from bot.http.address_limits import AddressLimits
from bot.http.errors import install_error_handlers
from bot.http.limits import BodySizeLimit
from bot.http.security_headers import SecurityHeaders
from bot.runtime import Runtime
from bot.scheduling import alerts_running, build_alert_service
from bot.settings import Settings, load_settings
from handlers.deliveries import Deliveries, RetryPolicy
from handlers.feedback import FeedbackDesk
from handlers.live_knowledge import LiveKnowledge
from handlers.rate_limits import Limiter, limit_storage
from handlers.spool import Spool
from handlers.spool_replay import alert_supervisors, keep_replaying
from handlers.standard import build_pipeline
from handlers.state import create_state_store
from handlers.tickets.opening import TicketOpener
from handlers.workdays import WorkCalendar
from knowledge_base.clock import CountyClock
from knowledge_base.db import Database
from knowledge_base.vectors import DatabaseVectorStore
from nlu.registry import create_nlu

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AppContext:
    """Everything a command or server needs, built once per process."""

    settings: Settings
    database: Database
    clock: CountyClock


# APScheduler's executor logs every run of every job at INFO ("Running job …", "… executed
# successfully"), several lines every 10 seconds; its warnings (a missed run) and errors (a job
# raised) still show. At DEBUG everything shows.
CHATTY_LOGGERS = ("apscheduler.executors",)


def configure_logging(level: str) -> None:
    """One log format for the process at `level`, without the scheduler's routine lines."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if logging.getLevelNamesMapping()[level] > logging.DEBUG:
        for name in CHATTY_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


def build_context(
    settings: Settings | None = None, *, now: Callable[[], datetime] | None = None
) -> AppContext:
    """Create the application context from settings (read from the environment if not given);
    `now` replaces the system clock (tests)."""
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    return AppContext(
        settings=settings,
        database=Database(settings.database_url),
        clock=settings.clock(now),
    )


def build_runtime(
    settings: Settings, *, database: Database | None = None, clock: CountyClock | None = None
) -> Runtime:
    """Wire the parts once; nothing is loaded until `start_runtime`."""
    database = database or Database(settings.database_url)
    clock = clock or settings.clock()
    state = create_state_store(settings.redis_url)
    limiter = Limiter(limit_storage(settings.redis_url))
    engine = create_nlu(settings.nlu.backend, settings.nlu, vectors=DatabaseVectorStore(database))
    knowledge = LiveKnowledge(database, engine, clock=clock)
    calendar = WorkCalendar(settings.calendar, tz=settings.tz)
    tickets = TicketOpener(database, settings.tickets, calendar, clock=clock)
    spool = Spool(settings.spool_dir)
    feedback = FeedbackDesk(
        database,
        knowledge,
        state,
        tickets,
        max_choices=settings.nlu.max_choices,
        session_ttl=settings.pipeline.session_hours * 3600,
    )
    pipeline = build_pipeline(
        database=database,
        state=state,
        limiter=limiter,
        knowledge=knowledge,
        settings=settings.pipeline,
        tickets=tickets,
        spool=spool,
        clock=clock,
        feedback=feedback,
    )
    return Runtime(
        settings=settings,
        database=database,
        state=state,
        knowledge=knowledge,
        pipeline=pipeline,
        calendar=calendar,
        tickets=tickets,
        spool=spool,
        clock=clock,
        deliveries=Deliveries(
            database,
            clock,
            RetryPolicy(
                max_attempts=settings.pipeline.delivery_attempts,
                retry_seconds=settings.pipeline.delivery_retry_seconds,
            ),
        ),
        address_limits=AddressLimits(settings.address_limits, limiter),
        feedback=feedback,
    )


def create_app(runtime: Runtime) -> FastAPI:
    """The HTTP application with every enabled channel's routes."""
    channels: list[Channel] = enabled_channels(runtime)
    comment_client = httpx.AsyncClient(timeout=runtime.settings.weibo.api_timeout_seconds)
    comment_desk = build_desk(runtime, runtime.settings, comment_client)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.knowledge.refresh_async()
        refresher = asyncio.create_task(
            runtime.knowledge.keep_fresh(runtime.settings.kb_refresh_seconds)
        )
        quarantine_alerts = build_alert_service(runtime)
        replayer = asyncio.create_task(
            keep_replaying(
                runtime.spool,
                runtime.tickets,
                every=5,
                on_quarantine=alert_supervisors(quarantine_alerts),
            )
        )
        for channel in channels:
            await channel.start()
        async with contextlib.AsyncExitStack() as stack:
            if runtime.settings.scheduler_in_serve:
                await stack.enter_async_context(
                    alerts_running(runtime, app.state.channels, comment_desk)
                )
            try:
                yield
            finally:
                refresher.cancel()
                replayer.cancel()
                await quarantine_alerts.close()
                for channel in channels:
                    await channel.stop()
                await comment_client.aclose()
                await runtime.state.close()

    app = FastAPI(title="govbot", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    app.state.channels = {c.name: c for c in channels}
    app.state.comment_desk = comment_desk
    for channel in channels:
        router = channel.router()
        if router is not None:
            app.include_router(router)
    app.include_router(staff_router())
    mount_console(app, runtime)
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=runtime.settings.max_body_bytes,
        larger=("/console/", runtime.settings.max_upload_bytes),
    )
    app.add_middleware(SecurityHeaders)  # outermost: refusals carry the headers too

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, object]:
        # Not ok while messages wait for the database or set-aside ones wait for a person.
        depth, quarantined = await asyncio.to_thread(
            lambda: (runtime.spool.depth(), len(runtime.spool.quarantined()))
        )
        return {
            "ok": depth == 0 and quarantined == 0,
            "spool": {"depth": depth, "quarantined": quarantined},
            "reloads": runtime.knowledge.reloads,
            "engine": runtime.knowledge.engine.status(),
        }

    return app


def app_factory() -> FastAPI:
    """Build settings, runtime and app inside each worker process (`govbot serve --workers N`)."""
    return create_app(build_runtime(load_settings()))
