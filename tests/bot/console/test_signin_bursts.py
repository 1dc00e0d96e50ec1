"""Sign-in under attack: parallel guesses are counted atomically, each address is limited,
password checks run on their own bounded pool, and nothing tells unknown from locked users."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest

from bot.console import passwords
from bot.console.passwords import HashingBusy, HashingPool
from bot.console.signin import WRONG
from bot.runtime import Runtime
from tests.bot.console.conftest import add_users
from tests.bot.console.console_client import CSRF, PASSWORD, ConsoleClient, csrf_of
from tests.live_server import served_county


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    with served_county(
        tmp_path_factory.mktemp("signin"), address_limits={"console_sign_in": "10/minute"}
    ) as pair:
        add_users(pair[1])
        yield pair


def _from(address: str) -> dict[str, str]:
    # uvicorn takes the client address from X-Forwarded-For when the proxy is loopback.
    return {"X-Forwarded-For": address}


async def _attempt(base_url: str, username: str, password: str, address: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=_from(address)) as c:
        form = await c.get("/console/login")
        return await c.post(
            "/console/login",
            data={"username": username, "password": password, "csrf": csrf_of(form.text)},
        )


async def test_a_burst_of_guesses_gets_five_checks_and_locks_out_the_right_password(
    served: tuple[str, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    verify = passwords.verify_password

    def counting(stored_hash: str | None, password: str) -> bool:
        if stored_hash is not None:
            checked.append(threading.current_thread().name)
        return verify(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    guesses = [_attempt(served[0], "lock-me", "wrong-password", f"10.1.0.{i}") for i in range(40)]
    guesses.insert(30, _attempt(served[0], "lock-me", PASSWORD, "10.1.1.1"))
    responses = await asyncio.gather(*guesses)
    assert len(checked) <= 5
    assert all(name.startswith("argon2") for name in checked)  # never the default pool
    assert [r.status_code for r in responses].count(303) <= 1
    # After the burst the right password is refused too, with the same words.
    after = await _attempt(served[0], "lock-me", PASSWORD, "10.1.1.2")
    assert after.status_code == 401 and WRONG in after.text


def _problem(response: httpx.Response) -> str:
    return CSRF.sub("", response.text)


def test_unknown_and_locked_users_get_the_same_answer(served: tuple[str, Runtime]) -> None:
    with ConsoleClient(served[0]) as browser:
        browser.headers.update(_from("10.2.0.1"))
        for _ in range(5):
            browser.sign_in("editor-rsj", "wrong-password")
        locked = browser.sign_in("editor-rsj", PASSWORD)
        unknown = browser.sign_in("nobody-at-all", PASSWORD)
        wrong = browser.sign_in("reviewer", "wrong-password")
    assert locked.status_code == unknown.status_code == wrong.status_code == 401
    assert _problem(locked) == _problem(unknown) == _problem(wrong)


def test_each_address_is_limited_whatever_the_user_names(served: tuple[str, Runtime]) -> None:
    with ConsoleClient(served[0]) as browser:
        browser.headers.update(_from("10.3.0.1"))
        codes = [browser.sign_in(f"made-up-{i}", "x" * 10).status_code for i in range(12)]
        assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    with ConsoleClient(served[0]) as other:
        other.headers.update(_from("10.3.0.2"))
        assert other.sign_in("admin", PASSWORD).status_code == 303


async def test_the_hashing_pool_refuses_beyond_its_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(passwords, "verify_password", lambda *_: release.wait(30))
    pool = HashingPool(workers=1, waiting=1)
    running = asyncio.ensure_future(pool.verify(None, "a"))
    queued = asyncio.ensure_future(pool.verify(None, "b"))
    await asyncio.sleep(0)  # both have taken their slots
    with pytest.raises(HashingBusy):
        await pool.verify(None, "c")
    release.set()
    assert await running and await queued
