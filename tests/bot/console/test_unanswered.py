"""Unanswered questions: grouped per department; a wording becomes an alternate via review."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from bot.runtime import Runtime
from knowledge_base.models import DraftState
from knowledge_base.workflow import get_entry
from tests.bot.console.console_client import ConsoleClient

POLICE_ACCOUNT = "yunxi-gongan-web"
ASKED = ["县城哪里可以学游泳", "县城哪里可以学游泳？", "请问县城哪里可以学游泳"]


def ask(base_url: str, text: str) -> dict[str, object]:
    body = {"text": text, "account": POLICE_ACCOUNT, "session": uuid.uuid4().hex}
    reply = httpx.post(f"{base_url}/api/chat", json=body, timeout=30).json()["reply"]
    assert isinstance(reply, dict)
    return reply


def test_similar_questions_are_grouped_for_their_department_and_become_a_wording(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    for text in ASKED:
        assert "没有找到" in str(ask(base_url, text)["text"])
    police = signed_in("editor-gaj")
    page = police.get("/console/unanswered").text
    assert "县城哪里可以学游泳" in page
    assert "3 次" in page, "three wordings of one question form one group"
    labour = signed_in("editor-rsj")
    assert "学游泳" not in labour.get("/console/unanswered").text

    added = police.submit(
        "/console/unanswered/add-wording", {"code": "GA-0001", "wording": "县城哪里可以学游泳"}
    )
    assert added.status_code == 303
    with runtime.database.session() as session:
        draft = get_entry(session, code="GA-0001").draft
        assert draft is not None
        assert draft.state is DraftState.IN_REVIEW
        assert "县城哪里可以学游泳" in draft.alternates
        assert draft.author == "editor-gaj"

    refused = labour.submit(
        "/console/unanswered/add-wording", {"code": "GA-0003", "wording": "县城哪里可以学游泳"}
    )
    assert refused.status_code == 403

    start = police.get("/console/unanswered").text
    assert "/console/kb/new?question=" in start
    dismissed = police.submit("/console/unanswered/dismiss", {"text": ASKED})
    assert dismissed.status_code == 303
    assert "学游泳" not in police.get("/console/unanswered").text


def test_a_draft_can_be_started_from_a_group(signed_in: Callable[[str], ConsoleClient]) -> None:
    editor = signed_in("editor-gaj")
    form = editor.get(
        "/console/kb/new", params={"question": "电动车上牌在哪里办", "alternates": ["电瓶车挂牌"]}
    ).text
    assert 'value="电动车上牌在哪里办"' in form
    assert "电瓶车挂牌</textarea>" in form
    assert 'name="code" value="GA-0022"' in form, "the next free code of the department"
