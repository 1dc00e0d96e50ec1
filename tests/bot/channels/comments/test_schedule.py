"""Comments are polled on the scheduler: the job is registered at the configured interval, runs
the same poll as the console's button, and never runs twice at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import build_runtime
from bot.channels.comments.desk import JOB_ID
from bot.channels.comments.wiring import build_desk
from bot.settings import Settings
from knowledge_base.comments import comments_in
from knowledge_base.models.comments import CommentState
from tests.bot.channels.weibo.conftest import weibo_settings
from tests.bot.channels.weibo.pushes import TOKEN, UID, new_uid
from tests.fakes.weibo_api import running_weibo_api
from tests.live_server import county_database


async def test_the_scheduled_job_polls_new_comments(tmp_path: Path) -> None:
    with running_weibo_api({TOKEN: UID}) as (base, api):
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'county.db'}",
            spool_dir=tmp_path / "spool",
            weibo=weibo_settings(base),
            comments_poll_minutes=7,
        )
        database = county_database(settings)
        runtime = build_runtime(settings, database=database)
        await runtime.knowledge.refresh_async()
        async with httpx.AsyncClient(timeout=10) as client:
            desk = build_desk(runtime, runtime.settings, client)
            assert desk is not None
            scheduler = AsyncIOScheduler(timezone="Asia/Shanghai")
            desk.schedule(scheduler, minutes=settings.comments_poll_minutes)
            job = scheduler.get_job(JOB_ID)
            assert isinstance(job.trigger, IntervalTrigger)
            assert job.trigger.interval == timedelta(minutes=7)
            assert job.max_instances == 1 and job.coalesce

            cid = api.add_comment(UID, author=new_uid(), text="社保卡丢了怎么补办")
            assert await job.func() == 1
            assert await job.func() == 0, "the cursor moved on"
        with database.session() as session:
            [row] = comments_in(
                session, states=(CommentState.AWAITING_APPROVAL,), accounts=None, limit=5
            )
            assert row.external_id == cid
        await runtime.state.close()
        database.dispose()
