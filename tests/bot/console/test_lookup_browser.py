"""The look-up page in Chromium, keyboard only: type the caller's question, Enter, copy with one
keystroke, pick a candidate with Tab, mark the call satisfied or transferred."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Browser, Page, expect

from bot.runtime import Runtime
from tests.bot.console.chromium import shot, sign_in, skip_without_chromium

skip_without_chromium()


def clipboard(page: Page) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def web_chat(base_url: str, text: str) -> str:
    body = {"text": text, "account": "yunxi-fabu-web", "session": uuid.uuid4().hex}
    return str(httpx.post(f"{base_url}/api/chat", json=body, timeout=30).json()["reply"]["text"])


def test_an_operator_answers_a_call_without_touching_the_mouse(
    browser: Browser, served: tuple[str, Runtime]
) -> None:
    base_url = served[0]
    page = sign_in(browser, base_url, "duty-zfb", clipboard=True)
    page.goto("/console/lookup")
    assert focused_id(page) == "question", "the question box has the focus on arrival"

    page.keyboard.type("身份证丢了怎么补办？")
    page.keyboard.press("Enter")
    expect(page.locator("#result-title")).to_have_text("有答案")
    expect(page.locator("#authority")).to_contain_text("GA-0002")
    expect(page.locator("#validity")).to_have_text("长期有效")
    assert focused_id(page) == "copy", "after a look-up the copy button has the focus"
    page.keyboard.press("Enter")
    expect(page.locator("#copied")).to_have_text("已复制")
    assert clipboard(page) == web_chat(base_url, "身份证丢了怎么补办？")
    shot(page, "12-lookup-answer")

    page.keyboard.press("Alt+S")
    expect(page.locator(".flash")).to_contain_text("来电人满意")
    assert focused_id(page) == "question"

    # An unclear question: the candidates sit just before the copy button.
    page.keyboard.type("身份证")
    page.keyboard.press("Enter")
    expect(page.locator("#result-title")).to_have_text("请确认来电人想问哪一项")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("ul.candidates button:focus")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("#result-title")).to_have_text("有答案")
    shot(page, "13-lookup-candidate-picked")

    # Another department's matter: copy with Alt+C, then mark the call transferred.
    page.keyboard.press("Alt+Q")
    assert focused_id(page) == "question"
    page.keyboard.type("我家楼下餐馆油烟太大怎么办")  # replaces the selected old question
    page.keyboard.press("Enter")
    expect(page.locator("#transfer")).to_contain_text("云溪县综合行政执法局")
    page.keyboard.press("Alt+C")
    expect(page.locator("#copied")).to_have_text("已复制")
    assert "云溪县综合行政执法局" in clipboard(page)
    shot(page, "14-lookup-transfer")
    page.keyboard.press("Alt+T")
    expect(page.locator(".flash")).to_contain_text("已转接")


def test_the_lookup_page_fits_a_phone_screen(browser: Browser, served: tuple[str, Runtime]) -> None:
    page = sign_in(browser, served[0], "duty-zfb", phone=True)
    page.goto("/console/lookup")
    page.fill("#question", "我家楼下餐馆油烟太大怎么办")
    page.keyboard.press("Enter")
    expect(page.locator(".phone-number").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "15-lookup-on-a-phone")
