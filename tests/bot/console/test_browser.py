"""In a real browser: write → review → publish → the web chat answers; a duty officer's reply
reaches the citizen's chat window. Screenshots go to $GOVBOT_SCREENSHOTS (default in /tmp)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from bot.runtime import Runtime
from tests.bot.console.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "!!! BROWSER TESTS SKIPPED: /usr/bin/chromium is missing (apt-get install -y chromium) !!!",
        allow_module_level=True,
    )

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("GOVBOT_SCREENSHOTS", "/tmp/govbot-console-screenshots"))
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 900}

QUESTION = "云溪县放飞无人机需要报备吗"
ANSWER = (
    "在云溪县城区放飞无人机，请至少提前一天在“云溪公安”公众号的无人机报备入口登记飞行时间和地点。"
)
STAFF_REPLY = "您好，我是值班人员小陈。您反映的情况已记录，周一上午会有同事电话联系您。"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(browser: Browser, base_url: str, username: str, phone: bool = False) -> Page:
    viewport = PHONE if phone else LAPTOP
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto("/console/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/**")
    return page


def reloads(base_url: str) -> int:
    return int(httpx.get(f"{base_url}/healthz").json()["reloads"])


def test_an_entry_is_written_reviewed_published_and_then_answers_citizens(
    browser: Browser, served: tuple[str, Runtime]
) -> None:
    base_url = served[0]
    editor = sign_in(browser, base_url, "editor-gaj")
    editor.goto("/console/kb/new")
    editor.fill("#code", "GA-0901")
    editor.fill("#question", QUESTION)
    editor.fill("#alternates", "无人机飞行要登记吗\n在城里飞无人机要申请吗")
    editor.fill("#answer", ANSWER)
    editor.fill("#tags", "无人机，报备")
    editor.get_by_role("button", name="预览各渠道效果").click()
    expect(editor.locator(".previews .bubble").first).to_have_text(ANSWER)
    shot(editor, "01-editor-preview")
    editor.get_by_role("button", name="保存并提交审核").click()
    expect(editor.locator(".flash")).to_contain_text("已保存并提交审核")
    shot(editor, "02-editor-submitted")

    reviewer = sign_in(browser, base_url, "reviewer")
    reviewer.goto("/console/kb?state=review")
    reviewer.get_by_role("link", name="GA-0901").click()
    expect(reviewer.locator(".diff .add").first).to_contain_text(QUESTION)
    shot(reviewer, "03-reviewer-diff")
    before = reloads(base_url)
    reviewer.get_by_role("button", name="审核通过并发布").click()
    expect(reviewer.locator(".flash")).to_contain_text("已发布第 1 版")
    shot(reviewer, "04-reviewer-published")

    deadline = time.monotonic() + 20
    while reloads(base_url) <= before:
        assert time.monotonic() < deadline, "the engines did not pick up the published entry"
        time.sleep(0.2)
    citizen = browser.new_context(base_url=base_url, viewport=PHONE).new_page()
    citizen.goto("/")
    citizen.fill("#text", QUESTION)
    citizen.click("#send")
    expect(citizen.locator(".msg.bot .bubble").last).to_contain_text(ANSWER)
    shot(citizen, "05-web-chat-answers")


def test_a_duty_officers_reply_reaches_the_citizens_web_chat(
    browser: Browser, served: tuple[str, Runtime]
) -> None:
    base_url = served[0]
    citizen = browser.new_context(base_url=base_url, viewport=PHONE).new_page()
    citizen.goto("/")
    citizen.fill("#text", "小区门口的路灯坏了一个多月了")
    citizen.click("#send")
    expect(citizen.locator(".msg.bot .bubble")).to_have_count(2)
    citizen.click("#human")
    expect(citizen.locator(".msg.bot .bubble").last).to_contain_text("转接人工")

    duty = sign_in(browser, base_url, "duty-zfb")
    duty.goto("/console/tickets")
    expect(duty.locator("tbody tr").first).to_contain_text("转人工")
    shot(duty, "06-duty-queue")
    duty.locator("tbody tr a").first.click()
    expect(duty.locator("#conversation")).to_contain_text("路灯坏了")
    duty.fill("#text", STAFF_REPLY)
    duty.get_by_role("button", name="发送答复").click()
    expect(duty.locator(".flash")).to_contain_text("答复已送达群众")
    shot(duty, "07-duty-replied")

    staff_bubble = citizen.locator(".msg.staff .bubble")
    expect(staff_bubble).to_contain_text(STAFF_REPLY, timeout=10_000)
    shot(citizen, "08-web-chat-shows-staff-reply")

    phone = sign_in(browser, base_url, "duty-zfb", phone=True)
    phone.goto("/console/tickets?view=answered")
    expect(phone.locator("tbody tr").first).to_contain_text("转人工")
    shot(phone, "09-duty-queue-on-a-phone")


def test_the_dashboard_and_report_draw_their_charts(
    browser: Browser, served: tuple[str, Runtime]
) -> None:
    supervisor = sign_in(browser, served[0], "supervisor")
    supervisor.goto("/console/dashboard")
    expect(supervisor.locator("svg.chart")).to_have_count(4)
    assert supervisor.locator("svg.chart rect").count() > 0
    shot(supervisor, "10-dashboard")
    supervisor.goto("/console/report")
    expect(supervisor.locator("h1")).to_contain_text("每周检查调度报告")
    supervisor.emulate_media(media="print")
    expect(supervisor.locator("header.top")).to_be_hidden()
    shot(supervisor, "11-weekly-report-print")
