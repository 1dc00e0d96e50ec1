"""Debian's Chromium driven by Playwright for the console's browser tests: launching it, signing
in, screenshots (the `browser` fixture lives in conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.bot.console.console_client import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
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


def skip_without_chromium() -> None:
    """Skip the calling test module, loudly, when Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            "!!! BROWSER TESTS SKIPPED: /usr/bin/chromium is missing "
            "(apt-get install -y chromium) !!!",
            allow_module_level=True,
        )


def launch() -> Iterator[Browser]:
    """One headless Chromium (the `browser` fixture of conftest.py)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot under $GOVBOT_SCREENSHOTS."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(
    browser: Browser,
    base_url: str,
    username: str,
    phone: bool = False,
    clipboard: bool = False,
) -> Page:
    """A new browser context signed in as `username`."""
    viewport = PHONE if phone else LAPTOP
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="zh-CN")
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto("/console/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/**")
    return page
