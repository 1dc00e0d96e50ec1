"""Comments (留言) on an official account's articles, end to end against the stand-in WeChat API
through wechatpy: polled with a per-article cursor, a drafted public reply posted after approval,
a personal matter moved to private, abuse removed, a deleted article or comment recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.channels.wechat.settings import WeChatAccountSettings, WeChatSettings
from bot.runtime import Runtime
from handlers.texts import COMMENT_TO_PRIVATE
from knowledge_base.models.comments import Comment, CommentState
from knowledge_base.workflow import get_entry
from tests.bot.channels.comments.conftest import with_duty_officer
from tests.bot.channels.wechat.pushes import new_openid
from tests.bot.console.console_client import ConsoleClient
from tests.fakes.wechat_api import FakeWeChatApi, running_wechat_api

APP_ID, ACCOUNT = "wx0fab0000000001", "yunxi-fabu-wechat"
ARTICLE, GONE_ARTICLE = (2247483650, 1), (2247483651, 2)
QUESTION = "社保卡丢了怎么补办"

Served = tuple[Runtime, FakeWeChatApi, ConsoleClient]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with running_wechat_api({APP_ID: "secret"}) as (base, api):
        account = WeChatAccountSettings(
            app_id=APP_ID,
            app_secret=SecretStr("secret"),
            token=SecretStr("wechat-token"),
            comment_articles=[f"{m}:{i}" for m, i in (ARTICLE, GONE_ARTICLE)],
        )
        settings = WeChatSettings(accounts={ACCOUNT: account}, api_base_url=base)
        with with_duty_officer(tmp_path_factory, wechat=settings) as (_, runtime, duty):
            yield runtime, api, duty


def poll(duty: ConsoleClient) -> str:
    assert duty.submit("/console/comments/poll", {}).status_code == 303
    return duty.get("/console/comments").text


def stored(runtime: Runtime, number: int) -> Comment:
    with runtime.database.session() as session:
        row = session.scalar(
            select(Comment).where(Comment.external_id == f"{ARTICLE[0]}:{ARTICLE[1]}:{number}")
        )
        assert row is not None
        session.expunge(row)
        return row


def answer(runtime: Runtime, code: str) -> str:
    with runtime.database.session() as session:
        version = get_entry(session, code=code).live_version
        assert version is not None
        return str(version.answer)


def test_article_comments_are_drafted_approved_and_posted_once(served: Served) -> None:
    runtime, api, duty = served
    m, i = ARTICLE
    asked = api.add_comment(APP_ID, msg_data_id=m, index=i, openid=new_openid(), content=QUESTION)
    openid = new_openid()
    personal = api.add_comment(
        APP_ID, msg_data_id=m, index=i, openid=openid, content=f"电话13912345678，{QUESTION}"
    )
    rude = api.add_comment(APP_ID, msg_data_id=m, index=i, openid=new_openid(), content="傻逼政府")
    assert "已拉取新评论 3 条" in poll(duty), "the deleted article does not stop the others"

    draft = stored(runtime, asked)
    assert draft.state is CommentState.AWAITING_APPROVAL
    assert draft.public_reply == answer(runtime, "SB-0001")
    assert api.comment_replies == []
    duty.submit(f"/console/comments/{draft.id}/approve", {})
    assert api.comment_replies_to(asked) == [answer(runtime, "SB-0001")]

    moved = stored(runtime, personal)
    assert moved.public_reply == COMMENT_TO_PRIVATE and "13912345678" not in moved.text
    # The private follow-up is a customer-service message to the commenter's openid.
    assert api.texts_to(openid) == [answer(runtime, "SB-0001")]

    assert stored(runtime, rude).state is CommentState.HIDDEN
    assert all(c["user_comment_id"] != rude for c in api.comments[(APP_ID, m, i)])

    assert "已拉取新评论 0 条" in poll(duty), "the per-article cursor moved on"


def test_a_comment_deleted_before_approval_is_recorded_not_crashed(served: Served) -> None:
    runtime, api, duty = served
    m, i = ARTICLE
    number = api.add_comment(APP_ID, msg_data_id=m, index=i, openid=new_openid(), content=QUESTION)
    api.comment_refusals.append(45009)  # the daily quota: nothing fetched, the cursor stays
    assert "已拉取新评论 0 条" in poll(duty)
    assert "已拉取新评论 1 条" in poll(duty)
    row = stored(runtime, number)
    api.comments[(APP_ID, m, i)] = [
        c for c in api.comments[(APP_ID, m, i)] if c["user_comment_id"] != number
    ]
    duty.submit(f"/console/comments/{row.id}/approve", {})
    failed = stored(runtime, number)
    assert failed.state is CommentState.FAILED and "88008" in failed.detail
