"""Wiring the alert service (scans, dispatch, staff replies by Telegram) and the scheduled polls
(published articles, comments) into a process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

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
        comment_desk = build_desk(runtime, own_client)
    minutes = runtime.settings.comments_poll_minutes
    if comment_desk is not None and minutes:
        comment_desk.schedule(scheduler, minutes=minutes)
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
