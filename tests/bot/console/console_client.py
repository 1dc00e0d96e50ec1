"""An HTTP client that signs in to the console like a browser and fills in the CSRF token."""

from __future__ import annotations

import re
from typing import Any

import httpx

PASSWORD = "correct-horse-42"  # every test user's
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


class ConsoleClient(httpx.Client):
    """One browser: cookies are kept between requests; redirects are not followed."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url=base_url, timeout=30)

    def sign_in(self, username: str, password: str) -> httpx.Response:
        """Fill in the sign-in form."""
        token = csrf_of(self.get("/console/login").text)
        return self.post(
            "/console/login",
            data={"username": username, "password": password, "csrf": token, "next": "/console"},
        )

    def token(self) -> str:
        """The session's CSRF token, read from a page like a form would carry it."""
        return csrf_of(self.get("/console/kb").text)

    def submit(self, path: str, data: dict[str, Any]) -> httpx.Response:
        """POST a form with the session's CSRF token."""
        return self.post(path, data={"csrf": self.token(), **data})


def entry_form(code: str, **fields: str) -> dict[str, str]:
    """The fields of the entry form for a new entry, saved as a draft."""
    return {
        "code": code,
        "is_new": "1",
        "action": "save",
        "question": f"测试问题 {code}",
        "answer": f"测试答案 {code}",
        "alternates": "",
        "tags": "",
        **fields,
    }
