"""Was this helpful on the web chat: in Chromium (the page's buttons) and over plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bot.runtime import Runtime
from knowledge_base.models.feedback import AnswerFeedback
from knowledge_base.workflow import get_entry
from tests.bot.console.chromium import launch, skip_without_chromium
from tests.live_server import served_county

skip_without_chromium()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    with served_county(tmp_path_factory.mktemp("web-feedback")) as pair:
        yield pair


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def votes(runtime: Runtime) -> list[AnswerFeedback]:
    with runtime.database.session() as session:
        rows = list(session.scalars(select(AnswerFeedback).order_by(AnswerFeedback.id)))
        session.expunge_all()
        return rows


def live_number(runtime: Runtime, code: str) -> int:
    with runtime.database.session() as session:
        version = get_entry(session, code=code).live_version
        assert version is not None
        return version.number


def test_unhelpful_offers_the_other_entries_and_helpful_thanks(
    browser: Browser, served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    before = len(votes(runtime))
    page = browser.new_context(base_url=base_url, locale="zh-CN").new_page()
    page.goto("/")
    page.fill("#text", "社保卡丢了怎么补办")
    page.get_by_role("button", name="发送").click()
    answer = page.locator(".msg.bot").filter(has_text="社保卡").last
    expect(answer.get_by_role("button", name="没帮助")).to_be_visible()

    answer.get_by_role("button", name="没帮助").click()
    offer = page.locator(".msg.bot").filter(has_text="抱歉没有帮到您").last
    expect(offer).to_contain_text("您是不是想问")
    expect(offer).to_contain_text("转人工")
    # The buttons of the rated answer are spent.
    expect(answer.get_by_role("button", name="有帮助")).to_be_disabled()
    choices = offer.locator(".choices button")
    expect(choices.first).to_be_visible()
    assert "社保卡丢了怎么补办" not in choices.all_inner_texts()[0]

    rows = votes(runtime)[before:]
    assert [(r.entry_code, r.helpful, r.channel) for r in rows] == [("SB-0001", False, "web")]
    assert rows[0].entry_version == live_number(runtime, "SB-0001")

    # Picking one of the offered entries answers with it, and that answer can be rated too.
    picked = choices.first.inner_text().split(". ", 1)[1]
    choices.first.click()
    second = page.locator(".msg.bot").last
    expect(second.get_by_role("button", name="有帮助")).to_be_visible()
    second.get_by_role("button", name="有帮助").click()
    expect(page.locator(".msg.bot").last).to_contain_text("感谢您的反馈")
    rows = votes(runtime)[before:]
    assert [r.helpful for r in rows] == [False, True]
    assert rows[1].entry_code != "SB-0001" and picked


def test_a_vote_counts_once_and_only_from_its_own_session(served: tuple[str, Runtime]) -> None:
    base_url, runtime = served
    with httpx.Client(base_url=base_url, timeout=10) as http:
        chat = http.post("/api/chat", json={"text": "公积金余额怎么查询"}).json()
        other = http.post("/api/chat", json={"text": "你好"}).json()
        before = len(votes(runtime))
        vote = {"session": chat["session"], "reply_id": chat["last_id"], "helpful": True}
        # Another session cannot rate this citizen's answer.
        stranger = http.post("/api/chat/feedback", json={**vote, "session": other["session"]})
        assert "没有找到可以评价的答复" in stranger.json()["reply"]["text"]
        assert "感谢" in http.post("/api/chat/feedback", json=vote).json()["reply"]["text"]
        again = http.post("/api/chat/feedback", json={**vote, "helpful": False}).json()
        assert "已对这条答复作出过评价" in again["reply"]["text"]
        # A greeting is not an answer from an entry: nothing to rate.
        greeting = {"session": other["session"], "reply_id": other["last_id"], "helpful": False}
        assert "没有找到" in http.post("/api/chat/feedback", json=greeting).json()["reply"]["text"]
        assert http.post("/api/chat/feedback", json={**vote, "reply_id": "x"}).status_code == 400
    rows = votes(runtime)[before:]
    assert [(r.entry_code, r.helpful) for r in rows] == [("GJJ-0007", True)]


@pytest.mark.parametrize("helpful", ["yes", "1", "true", 1, 0, None])
def test_a_vote_that_is_not_true_or_false_is_refused_in_chinese(
    served: tuple[str, Runtime], helpful: object
) -> None:
    base_url, runtime = served
    with httpx.Client(base_url=base_url, timeout=10) as http:
        chat = http.post("/api/chat", json={"text": "社保卡丢了怎么补办"}).json()
        before = len(votes(runtime))
        vote = {"session": chat["session"], "reply_id": chat["last_id"], "helpful": helpful}
        refused = http.post("/api/chat/feedback", json=vote)
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "请求格式不正确",
        "field": "helpful",
        "detail": "应为 true 或 false",
    }
    assert len(votes(runtime)) == before, "nothing is counted"
