"""A stand-in for Weibo's open API speaking its documented JSON: the fans service's private-message
reply (`/2/messages/reply.json`), and comments on an account's posts (`/2/comments/...`).

The channel's real httpx client talks to it when `api_base_url` and `message_api_base_url` point
here. Errors are Weibo's shape: `{"error": ..., "error_code": ..., "request": ...}`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.live_server import serve

ERRORS = {
    10023: "User requests out of rate limit!",
    21327: "expired_token",
    21332: "invalid_access_token",
    20101: "Target weibo does not exist!",
    20012: "Text too long, please input text less than 300 characters!",
}
MAX_MESSAGE_CHARS = 300
MAX_COMMENT_CHARS = 140


def error(code: int, request: str) -> JSONResponse:
    """An error as Weibo answers it (HTTP 400 for client errors, 403 for tokens)."""
    status = 403 if code in (21327, 21332) else 400
    return JSONResponse(
        {"error": ERRORS[code], "error_code": code, "request": request}, status_code=status
    )


@dataclass(frozen=True, slots=True)
class PublicReply:
    """A reply posted under a comment."""

    uid: str
    cid: str
    post_id: str
    text: str


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A private message as the reply API received it."""

    uid: str  # the sending account
    receiver_id: str
    text: str


class FakeWeiboApi:
    """The API's state: account tokens, sent messages, refusals to make."""

    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens  # access token → account uid
        self.sent: list[SentMessage] = []
        self.refusals: list[int] = []  # error codes for the next calls, one each
        self.comments: dict[str, list[dict[str, Any]]] = {}  # account uid → comments to it
        self.replies: list[PublicReply] = []
        self.destroyed: set[str] = set()
        self._cids = itertools.count(4_900_000_000_000_000)
        self.app = self._build_app()

    def add_comment(
        self, uid: str, *, author: str, text: str, post_id: str = "4890000000000001"
    ) -> str:
        """A citizen comments under one of the account's posts; returns the comment id."""
        cid = next(self._cids)
        self.comments.setdefault(uid, []).insert(
            0,
            {
                "created_at": "Mon Nov 30 10:00:00 +0800 2026",
                "id": cid,
                "idstr": str(cid),
                "text": text,
                "user": {"id": int(author), "idstr": author, "screen_name": f"网友{author[-4:]}"},
                "status": {"id": int(post_id), "idstr": post_id, "text": "云溪发布的一条微博"},
            },
        )
        return str(cid)

    def _caller(self, token: str, path: str) -> str | JSONResponse:
        """The account uid of this token, or the error Weibo would answer instead."""
        uid = self.tokens.get(token)
        if uid is None:
            return error(21332, path)
        refused = self._refusal()
        return uid if refused is None else error(refused, path)

    def _refusal(self) -> int | None:
        return self.refusals.pop(0) if self.refusals else None

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/2/messages/reply.json")
        async def reply(request: Request) -> Any:
            form = await request.form()
            path = "/2/messages/reply.json"
            uid = self._caller(str(form.get("access_token", "")), path)
            if isinstance(uid, JSONResponse):
                return uid
            if form.get("type") != "text" or not form.get("receiver_id"):
                return JSONResponse({"error": "miss required parameter", "error_code": 10016})
            text = json.loads(unquote(str(form.get("data", ""))))["text"]
            if len(text) > MAX_MESSAGE_CHARS:
                return error(20012, path)
            self.sent.append(SentMessage(uid, str(form["receiver_id"]), text))
            return {"result": True, "sender_id": int(uid), "receiver_id": int(form["receiver_id"])}

        @app.get("/2/comments/to_me.json")
        async def to_me(
            access_token: str = "", since_id: int = 0, count: int = 50, page: int = 1
        ) -> Any:
            path = "/2/comments/to_me.json"
            uid = self._caller(access_token, path)
            if isinstance(uid, JSONResponse):
                return uid
            newer = [
                c
                for c in self.comments.get(uid, [])
                if c["id"] > since_id and c["idstr"] not in self.destroyed
            ]
            start = (max(page, 1) - 1) * count
            return {
                "comments": newer[start : start + count],
                "total_number": len(newer),
                "previous_cursor": 0,
            }

        @app.post("/2/comments/reply.json")
        async def comment_reply(request: Request) -> Any:
            form = await request.form()
            path = "/2/comments/reply.json"
            uid = self._caller(str(form.get("access_token", "")), path)
            if isinstance(uid, JSONResponse):
                return uid
            cid, text = str(form.get("cid", "")), str(form.get("comment", ""))
            known = {c["idstr"] for c in self.comments.get(uid, [])} - self.destroyed
            if cid not in known:
                return error(20101, path)
            if len(text) > MAX_COMMENT_CHARS:
                return error(20012, path)
            self.replies.append(PublicReply(uid, cid, str(form.get("id", "")), text))
            return {"id": next(self._cids), "text": text, "reply_comment": {"idstr": cid}}

        @app.post("/2/comments/destroy.json")
        async def destroy(request: Request) -> Any:
            form = await request.form()
            path = "/2/comments/destroy.json"
            uid = self._caller(str(form.get("access_token", "")), path)
            if isinstance(uid, JSONResponse):
                return uid
            cid = str(form.get("cid", ""))
            if cid not in {c["idstr"] for c in self.comments.get(uid, [])} or cid in self.destroyed:
                return error(20101, path)
            self.destroyed.add(cid)
            return {"idstr": cid}

        return app

    def replies_to(self, cid: str) -> list[str]:
        """Public replies posted under one comment, in order."""
        return [r.text for r in self.replies if r.cid == cid]

    def texts_to(self, receiver_id: str) -> list[str]:
        """Texts sent to one citizen, in order."""
        return [s.text for s in self.sent if s.receiver_id == receiver_id]

    async def wait_for_texts(
        self, receiver_id: str, count: int, timeout: float = 10.0
    ) -> list[str]:
        """Wait until `count` messages reached the citizen (or the timeout); returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.texts_to(receiver_id)) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.texts_to(receiver_id)


@contextmanager
def running_weibo_api(tokens: dict[str, str]) -> Iterator[tuple[str, FakeWeiboApi]]:
    """Serve a fake API on loopback; yields its `/2/` base URL and the fake."""
    api = FakeWeiboApi(tokens)
    with serve(api.app) as base_url:
        yield f"{base_url}/2/", api
