"""Entry text is shown as text everywhere: list, form, preview, diff, entry page."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.console.console_client import ConsoleClient, entry_form

QUESTION = '<script>alert("q")</script>户籍窗口问题'
ANSWER = "第一行\n<script>alert('a')</script>\n<img src=x onerror=alert(1)>"
CHANGED = "第一行\n<script>alert('changed')</script>"


def assert_escaped(html: str, *raw: str) -> None:
    for text in raw:
        assert text not in html
    assert "&lt;script&gt;" in html


def test_script_in_an_entry_is_escaped_on_every_page(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    editor = signed_in("editor-gaj")
    form = entry_form(
        "GA-9201", department="gaj", question=QUESTION, answer=ANSWER, alternates="<b>粗体</b>"
    )
    preview = editor.submit("/console/kb/save", {**form, "action": "preview"})
    assert preview.status_code == 200
    assert_escaped(preview.text, "<script>alert", "<img src=x", "<b>粗体")
    assert preview.text.count("&lt;script&gt;alert(&#39;a&#39;)") >= 4, "form + three channels"

    assert editor.submit("/console/kb/save", {**form, "action": "submit"}).status_code == 303
    assert_escaped(editor.get("/console/kb", params={"q": "户籍窗口问题"}).text, "<script>alert")
    assert_escaped(editor.get("/console/kb/GA-9201").text, "<script>alert", "<img src=x")
    assert_escaped(editor.get("/console/kb/GA-9201").text, "<b>粗体")

    reviewer = signed_in("reviewer")
    assert reviewer.submit("/console/kb/GA-9201/publish", {}).status_code == 303
    edit = editor.get("/console/kb/GA-9201/edit")
    assert_escaped(edit.text, "<script>alert", "<img src=x")
    changed = {**form, "is_new": "", "answer": CHANGED, "action": "submit"}
    assert editor.submit("/console/kb/save", changed).status_code == 303
    review_page = reviewer.get("/console/kb/GA-9201").text
    assert "&lt;script&gt;alert(&#39;changed&#39;)&lt;/script&gt;" in review_page  # the diff
    assert_escaped(review_page, "<script>alert", "<img src=x")
