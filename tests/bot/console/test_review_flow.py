"""The review workflow in the console: diff, reject with a comment, publish, rollback, retire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.runtime import Runtime
from knowledge_base.models import EntryStatus
from knowledge_base.workflow import get_entry
from tests.bot.console.console_client import ConsoleClient


def live_answer(runtime: Runtime, code: str) -> tuple[EntryStatus, int | None, str]:
    with runtime.database.session() as session:
        entry = get_entry(session, code=code)
        version = entry.live_version
        return entry.status, entry.live_version_number, version.answer if version else ""


def test_reject_then_publish_then_roll_back_then_retire(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    _, first_number, original = live_answer(runtime, "GA-0003")
    editor = signed_in("editor-gaj")
    form = {
        "code": "GA-0003",
        "action": "submit",
        "question": "身份证快到期了怎么换领？",
        "answer": original + "\n新增：可预约周六上午办理。",
    }
    assert editor.submit("/console/kb/save", form).status_code == 303

    reviewer = signed_in("reviewer")
    page = reviewer.get("/console/kb/GA-0003").text
    assert '<span class="add">+ 新增：可预约周六上午办理。</span>' in page
    rejected = reviewer.submit("/console/kb/GA-0003/reject", {"comment": "请写明预约电话"})
    assert rejected.status_code == 303
    assert "审核意见：请写明预约电话" in editor.get("/console/kb/GA-0003").text

    form["answer"] = original + "\n新增：可预约周六上午办理，预约电话0578-5100020。"
    assert editor.submit("/console/kb/save", form).status_code == 303
    assert reviewer.submit("/console/kb/GA-0003/publish", {}).status_code == 303
    status, number, answer = live_answer(runtime, "GA-0003")
    assert status is EntryStatus.PUBLISHED and number == (first_number or 0) + 1
    assert answer.endswith("预约电话0578-5100020。")

    rolled = reviewer.submit(
        "/console/kb/GA-0003/rollback", {"version": str(first_number), "reason": "恢复原口径"}
    )
    assert rolled.status_code == 303
    assert live_answer(runtime, "GA-0003")[2] == original
    history = reviewer.get("/console/kb/GA-0003").text
    assert "恢复原口径" in history

    assert reviewer.submit("/console/kb/GA-0003/retire", {"reason": ""}).status_code == 303
    assert live_answer(runtime, "GA-0003")[0] is EntryStatus.PUBLISHED, "a reason is required"
    assert reviewer.submit("/console/kb/GA-0003/retire", {"reason": "政策调整"}).status_code == 303
    assert live_answer(runtime, "GA-0003")[0] is EntryStatus.RETIRED


def test_entries_whose_validity_ends_soon_are_flagged(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    soon = runtime.clock.today() + timedelta(days=10)
    editor = signed_in("editor-gaj")
    form = {
        "code": "GA-0004",
        "action": "submit",
        "question": "临时身份证怎么办？",
        "answer": "带户口簿到窗口办理。",
        "valid_until": soon.isoformat(),
    }
    assert editor.submit("/console/kb/save", form).status_code == 303
    assert signed_in("reviewer").submit("/console/kb/GA-0004/publish", {}).status_code == 303
    listing = editor.get("/console/kb", params={"expiring_only": "1"}).text
    assert "GA-0004" in listing and "即将到期" in listing
    assert "GA-0005" not in listing
    assert "条已发布条目的有效期将在 30 天内结束" in editor.get("/console/kb").text
    assert f"有效期将于 {soon.isoformat()} 结束" in editor.get("/console/kb/GA-0004").text
