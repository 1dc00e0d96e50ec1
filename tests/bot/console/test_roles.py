"""Roles: the supervisor only reads; editors write but do not publish; duty staff answer tickets."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import Runtime
from knowledge_base.accounts import get_account
from knowledge_base.models import AccountStatus, EntryStatus
from knowledge_base.workflow import get_entry
from tests.bot.console.console_client import ConsoleClient, entry_form


def status_of(runtime: Runtime, code: str) -> EntryStatus:
    with runtime.database.session() as session:
        return get_entry(session, code=code).status


def test_the_supervisor_reads_everything_and_changes_nothing(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    editor = signed_in("editor-gaj")
    draft = entry_form("GA-9301", department="gaj", action="submit")
    assert editor.submit("/console/kb/save", draft).status_code == 303
    supervisor = signed_in("supervisor")
    for page in (
        "/console/kb",
        "/console/kb/GA-9301",
        "/console/tickets",
        "/console/accounts",
        "/console/dashboard",
        "/console/report",
        "/console/unanswered",
    ):
        assert supervisor.get(page).status_code == 200, page
    page = supervisor.get("/console/kb/GA-9301").text
    assert "审核通过并发布" not in page and "修改" not in page.split("<main>")[1].split("</h1>")[0]
    assert supervisor.submit("/console/kb/GA-9301/publish", {}).status_code == 403
    assert status_of(served[1], "GA-9301") is EntryStatus.IN_REVIEW
    new = supervisor.submit("/console/kb/save", entry_form("ZF-9301", department="zfb"))
    assert new.status_code == 403
    assert "只读" in new.text
    suspend = supervisor.submit(
        "/console/accounts/yunxi-fabu-web/status", {"action": "suspend", "reason": "测试"}
    )
    assert suspend.status_code == 403
    with served[1].database.session() as session:
        assert get_account(session, code="yunxi-fabu-web").status is AccountStatus.ACTIVE


def test_editors_cannot_publish_and_authors_cannot_review_their_own_work(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    editor = signed_in("editor-gaj")
    draft = entry_form("GA-9302", department="gaj", action="submit")
    assert editor.submit("/console/kb/save", draft).status_code == 303
    assert editor.submit("/console/kb/GA-9302/publish", {}).status_code == 403
    assert status_of(served[1], "GA-9302") is EntryStatus.IN_REVIEW

    reviewer = signed_in("reviewer")
    own = {**entry_form("GA-9303", department="gaj"), "action": "submit"}
    assert reviewer.submit("/console/kb/save", own).status_code == 303
    refused = reviewer.submit("/console/kb/GA-9303/publish", {})
    assert refused.status_code == 303
    assert "不能审核自己的内容" in reviewer.get(refused.headers["location"]).text
    assert status_of(served[1], "GA-9303") is EntryStatus.IN_REVIEW
    assert reviewer.submit("/console/kb/GA-9302/publish", {}).status_code == 303
    assert status_of(served[1], "GA-9302") is EntryStatus.PUBLISHED


def test_only_duty_staff_and_admins_work_on_tickets(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    assert signed_in("editor-gaj").get("/console/tickets").status_code == 403
    assert signed_in("duty-zfb").get("/console/tickets").status_code == 200
    assert signed_in("duty-zfb").get("/console/kb/new").status_code == 403
    assert signed_in("editor-gaj").get("/console/report").status_code == 403


def test_import_is_for_admins(signed_in: Callable[[str], ConsoleClient]) -> None:
    editor = signed_in("editor-gaj")
    assert editor.get("/console/kb/import").status_code == 403
    admin = signed_in("admin")
    assert admin.get("/console/kb/import").status_code == 200
    exported = admin.get("/console/kb/export", params={"format": "csv"})
    assert exported.status_code == 200
    assert "GA-0001" in exported.text
