"""The sample county with 云溪发布's Weibo account and console users, next to a fake Weibo API
holding citizens' comments; the duty officer of 县府办 reviews the drafted public replies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.runtime import Runtime
from knowledge_base.models.comments import Comment
from knowledge_base.workflow import get_entry
from tests.bot.channels.weibo.conftest import weibo_settings
from tests.bot.channels.weibo.pushes import TOKEN, UID
from tests.bot.console.conftest import add_users
from tests.bot.console.console_client import PASSWORD, ConsoleClient
from tests.fakes.weibo_api import FakeWeiboApi, running_weibo_api
from tests.live_server import served_county


@dataclass(frozen=True)
class Desk:
    """govbot on loopback, the fake API, and a signed-in duty officer."""

    base_url: str
    runtime: Runtime
    api: FakeWeiboApi
    duty: ConsoleClient

    def poll(self) -> int:
        """Press 立即拉取新评论; returns the count the page reports."""
        response = self.duty.submit("/console/comments/poll", {})
        assert response.status_code == 303, response.text
        page = self.duty.get("/console/comments").text
        assert "已拉取新评论" in page
        return int(page.split("已拉取新评论 ")[1].split(" 条")[0])

    def comment(self, cid: str) -> Comment:
        """The stored comment with its audit trail."""
        with self.runtime.database.session() as session:
            row = session.scalar(
                select(Comment)
                .where(Comment.external_id == cid)
                .options(selectinload(Comment.actions))
            )
            assert row is not None, f"comment {cid} was not stored"
            session.expunge(row)
            return row

    def answer(self, code: str) -> str:
        with self.runtime.database.session() as session:
            version = get_entry(session, code=code).live_version
            assert version is not None
            return str(version.answer)


@contextmanager
def with_duty_officer(
    tmp_path_factory: pytest.TempPathFactory, **settings: Any
) -> Iterator[tuple[str, Runtime, ConsoleClient]]:
    """The county served with these settings and the console users; 县府办's duty officer
    (who looks after 云溪发布 on every platform) signed in."""
    with served_county(
        tmp_path_factory.mktemp("comments"),
        redis_url=None,
        address_limits={"console_sign_in": "10000/minute"},
        **settings,
    ) as (url, runtime):
        add_users(runtime)
        with ConsoleClient(url) as duty:
            assert duty.sign_in("duty-zfb", PASSWORD).status_code == 303
            yield url, runtime, duty


def served_desk(tmp_path_factory: pytest.TempPathFactory, *, auto: bool) -> Iterator[Desk]:
    with running_weibo_api({TOKEN: UID}) as (base, api):
        settings = weibo_settings(base)
        for account in settings.accounts.values():
            account.auto_reply_answers = auto
        with with_duty_officer(tmp_path_factory, weibo=settings) as (url, runtime, duty):
            yield Desk(url, runtime, api, duty)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """Every public reply waits for approval (the default)."""
    yield from served_desk(tmp_path_factory, auto=False)


@pytest.fixture(autouse=True)
def no_refusals(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    for name in ("desk", "auto_desk"):
        if name in request.fixturenames:
            request.getfixturevalue(name).api.refusals.clear()
