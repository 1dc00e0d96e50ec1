"""Every form carries a per-session CSRF token; a POST without it changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import Runtime
from knowledge_base.errors import NotFound
from knowledge_base.workflow import get_entry
from tests.bot.console.console_client import ConsoleClient, csrf_of, entry_form


def exists(runtime: Runtime, code: str) -> bool:
    with runtime.database.session() as session:
        try:
            get_entry(session, code=code)
        except NotFound:
            return False
        return True


def test_a_form_without_its_token_is_refused(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    editor = signed_in("editor-gaj")
    missing = editor.post("/console/kb/save", data=entry_form("GA-9101", department="gaj"))
    assert missing.status_code == 403
    assert "表单已过期" in missing.text
    forged = editor.post(
        "/console/kb/save", data={"csrf": "forged", **entry_form("GA-9101", department="gaj")}
    )
    assert forged.status_code == 403
    assert not exists(served[1], "GA-9101")
    accepted = editor.submit("/console/kb/save", entry_form("GA-9101", department="gaj"))
    assert accepted.status_code == 303
    assert exists(served[1], "GA-9101")


def test_another_sessions_token_does_not_work(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    mine = signed_in("editor-gaj").token()
    other = signed_in("editor2-gaj")
    response = other.post(
        "/console/kb/save", data={"csrf": mine, **entry_form("GA-9102", department="gaj")}
    )
    assert response.status_code == 403
    assert not exists(served[1], "GA-9102")


def test_sign_in_and_sign_out_forms_need_their_tokens(
    anonymous: ConsoleClient, signed_in: Callable[[str], ConsoleClient]
) -> None:
    from tests.bot.console.console_client import PASSWORD

    refused = anonymous.post(
        "/console/login", data={"username": "admin", "password": PASSWORD, "next": "/console"}
    )
    assert refused.status_code == 403
    assert "govbot_console=" not in refused.headers.get("set-cookie", "")

    editor = signed_in("editor-gaj")
    assert editor.post("/console/logout", data={}).status_code == 403
    assert editor.get("/console/kb").status_code == 200, "still signed in"
    token = csrf_of(editor.get("/console/kb").text)
    assert editor.post("/console/logout", data={"csrf": token}).status_code == 303
    assert editor.get("/console/kb").status_code == 303, "signed out: back to the sign-in page"
