"""WeChat has no buttons: when configured, answers end with the 1/0 hint and 1 or 0 is a vote."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from handlers.feedback import WECHAT_HINT
from knowledge_base.models import Entry
from knowledge_base.models.feedback import AnswerFeedback
from tests.bot.channels.wechat.official_accounts import PLAIN
from tests.bot.channels.wechat.pushes import new_openid, push_xml, reply_fields, signed_query
from tests.bot.channels.wechat.served_app import Served, wechat_settings
from tests.fakes.wechat_api import FakeWeChatApi
from tests.live_server import served_county


@pytest.fixture(scope="module")
def hinted(
    fake_api: tuple[str, FakeWeChatApi], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    base, api = fake_api
    settings = wechat_settings(base, feedback_hint=True)
    directory = tmp_path_factory.mktemp("wechat-hint")
    with served_county(directory, redis_url=None, wechat=settings) as (url, runtime):
        yield Served(url, runtime, api)


async def say(served: Served, http: httpx.AsyncClient, openid: str, text: str) -> str:
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=text)
    response = await http.post(
        f"{served.base_url}/wechat/{PLAIN.code}",
        params=signed_query(PLAIN.token, openid=openid),
        content=xml.encode(),
    )
    assert response.status_code == 200
    return reply_fields(response.text)["Content"]


def votes(served: Served) -> list[tuple[str, bool, str]]:
    with served.runtime.database.session() as session:
        rows = session.scalars(select(AnswerFeedback).order_by(AnswerFeedback.id))
        return [(r.entry_code, r.helpful, r.channel) for r in rows]


async def test_the_hint_follows_answers_and_0_offers_the_other_entries(
    hinted: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    answer = await say(hinted, http, openid, "社保卡丢了怎么补办")
    assert answer == hinted.answer("SB-0001") + "\n\n" + WECHAT_HINT
    offer = await say(hinted, http, openid, "0")
    assert offer.startswith("抱歉没有帮到您") and "1. " in offer
    counted = votes(hinted)
    assert counted[-1] == ("SB-0001", False, "wechat")
    # After the offer, 1 picks the first offered entry: it is a choice, not a vote.
    first = offer.split("1. ", 1)[1].split("\n", 1)[0]
    picked = await say(hinted, http, openid, "1")
    assert picked == hinted.answer(code_of(hinted, first)) + "\n\n" + WECHAT_HINT
    assert votes(hinted) == counted


def code_of(served: Served, question: str) -> str:
    with served.runtime.database.session() as session:
        entries = session.scalars(select(Entry).options(selectinload(Entry.versions)))
        versions = ((e.code, e.live_version) for e in entries)
        return next(code for code, v in versions if v is not None and v.question == question)


async def test_without_an_answer_before_it_1_is_an_ordinary_message(
    hinted: Served, http: httpx.AsyncClient
) -> None:
    before = votes(hinted)
    reply = await say(hinted, http, new_openid(), "1")
    assert "感谢您的反馈" not in reply and WECHAT_HINT not in reply
    assert votes(hinted) == before


async def test_1_after_an_answer_thanks_once(hinted: Served, http: httpx.AsyncClient) -> None:
    openid = new_openid()
    await say(hinted, http, openid, "公积金余额怎么查询")
    assert "感谢您的反馈" in await say(hinted, http, openid, "1")
    assert "已对这条答复作出过评价" in await say(hinted, http, openid, "0")
    assert votes(hinted)[-1] == ("GJJ-0007", True, "wechat")


async def test_minus_1_after_an_answer_is_no_vote(hinted: Served, http: httpx.AsyncClient) -> None:
    openid = new_openid()
    await say(hinted, http, openid, "公积金余额怎么查询")
    before = votes(hinted)
    reply = await say(hinted, http, openid, "-1")
    assert "感谢您的反馈" not in reply
    assert votes(hinted) == before
