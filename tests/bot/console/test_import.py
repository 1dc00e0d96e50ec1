"""Importing an entry file from the browser, and the reasons a bad file is refused."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import Runtime
from knowledge_base.models import EntryStatus
from knowledge_base.workflow import get_entry
from tests.bot.console.console_client import ConsoleClient

GOOD = (
    "code,department,question,answer\n"
    'JY-9001,云溪县教育局,"<script>alert(1)</script>几岁上小学","年满6周岁"\n'
)
BAD = "code,department,question,answer\nJY-9002,云溪县教育局,,没有问题\n"


def upload(client: ConsoleClient, name: str, body: str, mode: str) -> str:
    response = client.post(
        "/console/kb/import",
        data={"csrf": client.token(), "mode": mode},
        files={"file": (name, body.encode(), "text/csv")},
    )
    assert response.status_code in (200, 400)
    return response.text


def test_an_admin_imports_a_file_as_drafts(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    admin = signed_in("admin")
    page = upload(admin, "entries.csv", GOOD, "draft")
    assert "新增 1 条" in page
    with served[1].database.session() as session:
        entry = get_entry(session, code="JY-9001")
        assert entry.status is EntryStatus.DRAFT and entry.draft is not None
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;几岁上小学" in admin.get("/console/kb/JY-9001").text
    )


def test_a_bad_file_is_refused_row_by_row(signed_in: Callable[[str], ConsoleClient]) -> None:
    admin = signed_in("admin")
    page = upload(admin, "bad.csv", BAD, "publish")
    assert "未导入任何条目" in page
    assert "<li>第 2 行：缺少问题(question)</li>" in page
    assert admin.get("/console/kb/JY-9002").status_code == 404
    assert "只支持" in upload(admin, "entries.exe", GOOD, "draft")


def test_the_import_form_needs_its_token(signed_in: Callable[[str], ConsoleClient]) -> None:
    admin = signed_in("admin")
    response = admin.post(
        "/console/kb/import",
        data={"mode": "draft"},
        files={"file": ("entries.csv", GOOD.encode(), "text/csv")},
    )
    assert response.status_code == 403
