"""Department scoping: an editor never sees or changes another department's drafts."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import Runtime
from knowledge_base.workflow import get_entry
from tests.bot.console.console_client import ConsoleClient, entry_form


def draft_question(runtime: Runtime, code: str) -> str | None:
    with runtime.database.session() as session:
        draft = get_entry(session, code=code).draft
        return draft.question if draft else None


def test_another_departments_new_draft_is_invisible_and_unchangeable(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    police = signed_in("editor-gaj")
    created = police.submit(
        "/console/kb/save",
        entry_form("GA-9001", department="gaj", question="公安局内部草稿：夜间窗口安排"),
    )
    assert created.status_code == 303
    assert police.get("/console/kb/GA-9001").status_code == 200
    assert "夜间窗口" in police.get("/console/kb", params={"department": "gaj"}).text

    labour = signed_in("editor-rsj")
    assert labour.get("/console/kb/GA-9001").status_code == 404
    assert labour.get("/console/kb/GA-9001/edit").status_code == 404
    listing = labour.get("/console/kb", params={"department": "gaj"}).text
    assert "GA-9001" not in listing and "夜间窗口" not in listing
    changed = labour.submit(
        "/console/kb/save",
        {"code": "GA-9001", "action": "save", "question": "被改掉了", "answer": "x"},
    )
    assert changed.status_code == 403
    assert labour.submit("/console/kb/GA-9001/submit", {}).status_code == 404
    assert draft_question(runtime, "GA-9001") == "公安局内部草稿：夜间窗口安排"


def test_published_entries_are_readable_by_all_but_changed_only_by_their_department(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    police = signed_in("editor-gaj")
    edit = police.get("/console/kb/GA-0002/edit")
    assert edit.status_code == 200
    saved = police.submit(
        "/console/kb/save",
        {
            "code": "GA-0002",
            "action": "save",
            "question": "身份证丢了怎么补办？（修订中：暂不公开的说法）",
            "answer": "修订中的答案",
        },
    )
    assert saved.status_code == 303

    labour = signed_in("editor-rsj")
    page = labour.get("/console/kb/GA-0002")
    assert page.status_code == 200
    assert "身份证丢了怎么补办" in page.text
    assert "暂不公开的说法" not in page.text and "修订中的答案" not in page.text
    assert labour.get("/console/kb/GA-0002/edit").status_code == 403
    refused = labour.submit(
        "/console/kb/save", {"code": "GA-0002", "action": "save", "question": "改", "answer": "改"}
    )
    assert refused.status_code == 403
    assert draft_question(runtime, "GA-0002") == "身份证丢了怎么补办？（修订中：暂不公开的说法）"


def test_an_editor_cannot_create_an_entry_for_another_department(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    labour = signed_in("editor-rsj")
    response = labour.submit("/console/kb/save", entry_form("GA-9002", department="gaj"))
    assert response.status_code == 403
    assert signed_in("editor-gaj").get("/console/kb/GA-9002").status_code == 404


def test_duty_staff_see_only_their_departments_tickets(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url = served[0]
    with ConsoleClient(base_url) as citizen:
        reply = citizen.post("/api/chat", json={"text": "转人工"}).json()
    assert reply["reply"]["handover"] is True
    duty = signed_in("duty-zfb")
    queue = duty.get("/console/tickets").text
    ticket_links = [line for line in queue.splitlines() if 'href="/console/tickets/' in line]
    assert ticket_links, "the county office's duty officer sees the new ticket"
    ticket_path = ticket_links[-1].split('href="')[1].split('"')[0]
    assert duty.get(ticket_path).status_code == 200
    other = signed_in("duty-rsj")
    assert other.get(ticket_path).status_code == 404
    assert ticket_path not in other.get("/console/tickets").text
    refused = other.submit(f"{ticket_path}/reply", {"text": "不该送达"})
    assert refused.status_code == 404
