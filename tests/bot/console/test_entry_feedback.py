"""Editors see per entry how often it answered, the share voted 没帮助 and the follow-up
questions asked right after it (personal numbers masked)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import httpx

from bot.runtime import Runtime
from tests.bot.console.console_client import ConsoleClient


def chat(base_url: str, session: str, text: str) -> dict[str, object]:
    body = {"text": text, "account": "yunxi-gongan-web", "session": session}
    response = httpx.post(f"{base_url}/api/chat", json=body, timeout=30)
    assert response.status_code == 200
    return dict(response.json())


def vote(base_url: str, session: str, reply_id: object, helpful: bool) -> None:
    body = {"account": "yunxi-gongan-web", "session": session, "reply_id": reply_id}
    response = httpx.post(
        f"{base_url}/api/chat/feedback", json={**body, "helpful": helpful}, timeout=30
    )
    assert response.status_code == 200


def row_of(html: str, code: str) -> str:
    found = re.search(rf'<tr><td class="code"><a href="/console/kb/{code}">.*?</tr>', html, re.S)
    assert found is not None, code
    return found.group(0)


def test_the_dashboard_and_entry_list_show_how_an_entry_fared(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url = served[0]
    sessions = [uuid.uuid4().hex for _ in range(3)]
    for number, session in enumerate(sessions):
        answer = chat(base_url, session, "户口本丢了怎么补办")
        vote(base_url, session, answer["last_id"], helpful=number == 0)
    # One citizen asks on, with a phone number that must not show.
    chat(base_url, sessions[1], "我电话13812345678，那要本人去吗")

    editor = signed_in("editor-gaj")
    row = row_of(editor.get("/console/dashboard").text, "GA-0020")
    assert "67%（2/3）" in row
    assert "那要本人去吗" in row and "13812345678" not in row
    listed = editor.get("/console/kb", params={"q": "GA-0020"}).text
    assert "67%（2/3）" in listed
