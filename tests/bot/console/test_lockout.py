"""Repeated wrong passwords lock the user for a while, even against the right password."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from bot.console.signin import WRONG
from bot.console.users import set_active
from bot.runtime import Runtime
from tests.bot.console.console_client import PASSWORD, ConsoleClient, csrf_of


def test_five_failures_lock_the_user(
    anonymous: ConsoleClient, signed_in: Callable[[str], ConsoleClient]
) -> None:
    for _ in range(4):
        response = anonymous.sign_in("lock-me", "wrong-password")
        assert response.status_code == 401
        assert "用户名或密码不正确" in response.text
    fifth = anonymous.sign_in("lock-me", "wrong-password")
    assert fifth.status_code == 401
    right = anonymous.sign_in("lock-me", PASSWORD)
    assert right.status_code == 401
    assert WRONG in right.text
    assert "govbot_console=" not in right.headers.get("set-cookie", "")
    assert anonymous.get("/console/kb").status_code == 303, "not signed in"
    # Other users are not affected.
    assert signed_in("editor-gaj").get("/console/kb").status_code == 200


def test_a_wrong_password_is_refused_and_a_right_one_signs_in(anonymous: ConsoleClient) -> None:
    assert anonymous.sign_in("editor2-gaj", "nope-nope").status_code == 401
    ok = anonymous.sign_in("editor2-gaj", PASSWORD)
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie, "plain HTTP on loopback"
    assert anonymous.get("/console/kb").status_code == 200


def test_the_cookies_are_secure_behind_an_https_proxy(served: tuple[str, Runtime]) -> None:
    proxy = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=served[0], headers=proxy) as browser:
        form = browser.get("/console/login")
        assert "Secure" in form.headers["set-cookie"]
        login_cookie = form.headers["set-cookie"].split(";")[0]
        response = browser.post(
            "/console/login",
            data={"username": "editor2-gaj", "password": PASSWORD, "csrf": csrf_of(form.text)},
            headers={"Cookie": login_cookie},
        )
    assert response.status_code == 303
    session_cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("govbot_console=")
    )
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie


def test_a_disabled_user_is_signed_out_at_the_next_request(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    duty = signed_in("duty-rsj")
    assert duty.get("/console/tickets").status_code == 200
    with served[1].database.session() as session:
        set_active(session, username="duty-rsj", active=False, actor="test")
    try:
        assert duty.get("/console/tickets").status_code == 303
        assert duty.sign_in("duty-rsj", PASSWORD).status_code == 401
    finally:
        with served[1].database.session() as session:
            set_active(session, username="duty-rsj", active=True, actor="test")
