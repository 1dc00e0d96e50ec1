"""Wiring the alert service (scans, dispatch, staff replies by Telegram), the scheduled polls
(published articles, comments) and the retraining of the department classifier into a process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import httpx
import redis
from wechatpy.session.redisstorage import RedisStorage

from bot.channels.base import Channel
from bot.channels.comments.desk import CommentDesk
from bot.channels.comments.wiring import build_desk
from bot.channels.wechat.api_client import build_clients
from bot.channels.wechat.publications import poll_publications
from bot.runtime import Runtime
from handlers.alerts.notifiers.settings import build_notifiers
from handlers.alerts.service import AlertService
from handlers.alerts.telegram_replies import TelegramStaffReplies
from handlers.routing_training import Trained, retrain_if_due
from nlu.builtin import BuiltinNlu

log = logging.getLogger(__name__)


def build_alert_service(runtime: Runtime) -> AlertService:
    """The alert service with every configured notifier; WeCom tokens shared through Redis."""
    settings = runtime.settings
    session = (
        RedisStorage(redis.Redis.from_url(settings.redis_url), prefix="govbot:wecom")
        if settings.redis_url
        else None
    )
    notifiers = build_notifiers(settings.notifiers, wecom_session=session)
    return AlertService(
        runtime.database, runtime.calendar, settings.alerts, notifiers, clock=runtime.clock.now
    )


def retraining_job(runtime: Runtime) -> Callable[[], Awaitable[Trained | None]] | None:
    """The scheduled retraining of the department classifier (None when it cannot run: no
    encoder, or retraining is off). It trains when enough new examples arrived, at the
    county clock's time, and reloads this process's engine at once (others on their refresh)."""
    engine = runtime.knowledge.engine
    settings = runtime.settings.nlu
    if not isinstance(engine, BuiltinNlu) or engine.embedder is None:
        return None
    if not settings.routing_retrain_examples or settings.routing_models is None:
        return None
    embedder = engine.embedder

    async def retrain() -> Trained | None:
        trained = await asyncio.to_thread(
            retrain_if_due, runtime.database, settings, embedder, now=runtime.clock.now()
        )
        if trained is not None:
            await runtime.knowledge.refresh_async()
        return trained

    return retrain


@contextlib.asynccontextmanager
async def alerts_running(
    runtime: Runtime, channels: Mapping[str, Channel], comment_desk: CommentDesk | None = None
) -> AsyncIterator[AlertService]:
    """Scan and dispatch on schedule, poll comments, and take staff replies from Telegram,
    while inside. Without `comment_desk` one is built for the configured accounts."""
    service = build_alert_service(runtime)
    runtime.calendar.warn_unconfigured(runtime.clock.day_of(service.clock()))
    scheduler = service.start(redelivery=(runtime.deliveries, channels))
    wechat = runtime.settings.wechat
    if wechat.accounts and wechat.publications_poll_minutes:
        clients = build_clients(
            wechat,
            redis.Redis.from_url(runtime.settings.redis_url)
            if runtime.settings.redis_url
            else None,
        )
        scheduler.add_job(
            poll_publications,
            "interval",
            args=(runtime.database, clients),
            minutes=wechat.publications_poll_minutes,
            id="wechat-publications",
            max_instances=1,
            coalesce=True,
        )
    own_client = None
    if comment_desk is None:
        own_client = httpx.AsyncClient(timeout=runtime.settings.weibo.api_timeout_seconds)
        comment_desk = build_desk(runtime, runtime.settings, own_client)
    minutes = runtime.settings.comments_poll_minutes
    if comment_desk is not None and minutes:
        comment_desk.schedule(scheduler, minutes=minutes)
    retrain = retraining_job(runtime)
    if retrain is not None:

        async def scheduled_retrain() -> None:
            try:
                await retrain()
            except Exception:  # the old model keeps routing; the next run tries again
                log.exception("scheduled retraining of the department model failed")

        scheduler.add_job(
            scheduled_retrain,
            "interval",
            minutes=runtime.settings.nlu.routing_retrain_minutes,
            id="routing-retrain",
            max_instances=1,
            coalesce=True,
        )
    telegram = runtime.settings.notifiers.telegram
    replies = (
        asyncio.create_task(
            TelegramStaffReplies(
                runtime.database,
                channels,
                deliveries=runtime.deliveries,
                token=telegram.token.get_secret_value(),
                base_url=telegram.base_url,
            ).run()
        )
        if telegram is not None
        else None
    )
    try:
        yield service
    finally:
        scheduler.shutdown(wait=False)
        if replies is not None:
            replies.cancel()
        if own_client is not None:
            await own_client.aclose()
        await service.close()
