"""A staff reply reaches the web chat page even when the citizen writes again before the page
polls for it (Chromium, with the page's timers driven by Playwright's clock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bot.runtime import Runtime
from knowledge_base.models import Ticket
from tests.bot.console.chromium import launch, skip_without_chromium
from tests.live_server import served_county

skip_without_chromium()
TOKEN = "page-staff-token"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    folder: Path = tmp_path_factory.mktemp("web-staff")
    with served_county(folder, staff_api_token=TOKEN) as pair:
        yield pair


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def test_a_staff_reply_is_shown_though_the_citizen_wrote_again_before_the_poll(
    browser: Browser, served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    page = browser.new_context(base_url=base_url, locale="zh-CN").new_page()
    page.clock.install()  # the page polls every 3 s: the test decides when
    page.goto("/")
    bots = page.locator(".msg.bot")
    page.fill("#text", "转人工")
    page.get_by_role("button", name="发送").click()
    expect(bots.last).to_contain_text("人工")
    with runtime.database.session() as session:
        ticket_id = session.scalars(select(Ticket.id)).one()
    with httpx.Client(base_url=base_url) as http:
        answered = http.post(
            f"/api/staff/tickets/{ticket_id}/reply",
            json={"text": "您好，您的问题已转交社保中心办理。", "staff": "陈值班"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert answered.status_code == 200 and answered.json()["delivered"] is True
    # The citizen writes again before the page has polled: that reply is stored after the
    # staff reply, and the staff reply must still be shown.
    page.fill("#text", "退出人工")
    page.get_by_role("button", name="发送").click()
    expect(bots.last).to_contain_text("切换回智能咨询")
    page.clock.run_for(3500)
    expect(page.locator(".msg.staff")).to_contain_text("已转交社保中心办理")
