"""A stand-in for the WeChat API server (api.weixin.qq.com/cgi-bin) speaking its documented JSON.

The real wechatpy `WeChatClient` talks to it over HTTP when `api_base_url` points here. It issues
access tokens, counts how often each app asked for one, records customer-service messages, and
can refuse them the way WeChat does (45015 once the citizen's 48-hour window has closed).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request

from tests.live_server import serve

INVALID_TOKEN = {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
ERRORS = {
    45015: "response out of time limit or subscription is canceled",
    43004: "require subscribe",
    45047: "out of response count limit",
    45009: "reach max api daily quota limit",
    88001: "msg_data is not exists",
    88008: "comment is not exists",
}


@dataclass(frozen=True, slots=True)
class SentText:
    """A customer-service text message as the API received it."""

    app_id: str
    touser: str
    content: str


class FakeWeChatApi:
    """The API's state: apps and secrets, issued tokens, token fetches and sent messages."""

    def __init__(self, apps: dict[str, str]) -> None:
        self.apps = apps  # app id → app secret
        self.token_fetches: list[str] = []  # app ids, one per successful token request
        self.sent: list[SentText] = []
        self.refuse_with: int | None = None  # an errcode from ERRORS for every send
        self.articles: dict[str, list[dict[str, Any]]] = {}  # app id → published articles
        # (app id, msg_data_id, index) → comments (留言) under that article
        self.comments: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
        # (access token, user_comment_id, text) of every public reply
        self.comment_replies: list[tuple[str, int, str]] = []
        self.comment_refusals: list[int] = []  # errcodes for the next comment calls, one each
        self._comment_ids = itertools.count(1)
        self._tokens: dict[str, str] = {}  # access token → app id
        self._serial = itertools.count(1)
        self.app = self._build_app()

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/cgi-bin/token")
        async def token(grant_type: str = "", appid: str = "", secret: str = "") -> dict[str, Any]:
            if grant_type != "client_credential":
                return {"errcode": 40002, "errmsg": "invalid grant_type"}
            if self.apps.get(appid) != secret:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            issued = f"TOKEN-{appid}-{next(self._serial)}"
            self._tokens[issued] = appid
            self.token_fetches.append(appid)
            return {"access_token": issued, "expires_in": 7200}

        @app.post("/cgi-bin/message/custom/send")
        async def custom_send(request: Request, access_token: str = "") -> dict[str, Any]:
            app_id = self._tokens.get(access_token)
            if app_id is None:
                return INVALID_TOKEN
            if self.refuse_with is not None:
                return {"errcode": self.refuse_with, "errmsg": ERRORS[self.refuse_with]}
            body = await request.json()
            if body.get("msgtype") != "text" or not body.get("touser"):
                return {"errcode": 40008, "errmsg": "invalid message type"}
            self.sent.append(SentText(app_id, body["touser"], body["text"]["content"]))
            return {"errcode": 0, "errmsg": "ok"}

        @app.post("/cgi-bin/freepublish/batchget")
        async def published(request: Request, access_token: str = "") -> dict[str, Any]:
            app_id = self._tokens.get(access_token)
            if app_id is None:
                return INVALID_TOKEN
            query = await request.json()
            items = self.articles.get(app_id, [])
            page = items[query.get("offset", 0) : query.get("offset", 0) + query.get("count", 20)]
            return {"total_count": len(items), "item_count": len(page), "item": page}

        def comment_call(access_token: str) -> tuple[str | None, dict[str, Any] | None]:
            app_id = self._tokens.get(access_token)
            if app_id is None:
                return None, INVALID_TOKEN
            if self.comment_refusals:
                code = self.comment_refusals.pop(0)
                return None, {"errcode": code, "errmsg": ERRORS[code]}
            return app_id, None

        async def located(
            request: Request, access_token: str
        ) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]] | dict[str, Any]:
            """The article's comments, the one the call names and the call's body; or an error."""
            app_id, refusal = comment_call(access_token)
            if app_id is None:
                return refusal or {}
            body = await request.json()
            article = self.comments.get((app_id, body.get("msg_data_id"), body.get("index")), [])
            wanted = body.get("user_comment_id")
            found = next((c for c in article if c["user_comment_id"] == wanted), None)
            if found is None:
                return {"errcode": 88008, "errmsg": ERRORS[88008]}
            return article, found, body

        @app.post("/cgi-bin/comment/list")
        async def comment_list(request: Request, access_token: str = "") -> dict[str, Any]:
            app_id, refusal = comment_call(access_token)
            if app_id is None:
                return refusal or {}
            body = await request.json()
            key = (app_id, body.get("msg_data_id"), body.get("index"))
            if key not in self.comments:
                return {"errcode": 88001, "errmsg": ERRORS[88001]}
            items = self.comments[key]
            begin, count = int(body.get("begin", 0)), min(int(body.get("count", 50)), 50)
            return {
                "errcode": 0,
                "errmsg": "ok",
                "total": len(items),
                "comment": items[begin : begin + count],
            }

        @app.post("/cgi-bin/comment/reply/add")
        async def comment_reply(request: Request, access_token: str = "") -> dict[str, Any]:
            call = await located(request, access_token)
            if isinstance(call, dict):
                return call
            _, found, body = call
            found["reply"] = {"content": body["content"], "create_time": int(time.time())}
            self.comment_replies.append((access_token, found["user_comment_id"], body["content"]))
            return {"errcode": 0, "errmsg": "ok"}

        @app.post("/cgi-bin/comment/delete")
        async def comment_delete(request: Request, access_token: str = "") -> dict[str, Any]:
            call = await located(request, access_token)
            if isinstance(call, dict):
                return call
            article, found, _ = call
            article.remove(found)
            return {"errcode": 0, "errmsg": "ok"}

        return app

    def add_comment(
        self, app_id: str, *, msg_data_id: int, index: int, openid: str, content: str
    ) -> int:
        """A follower leaves a comment under an article; returns its user_comment_id."""
        number = next(self._comment_ids)
        self.comments.setdefault((app_id, msg_data_id, index), []).append(
            {
                "user_comment_id": number,
                "openid": openid,
                "create_time": int(time.time()),
                "content": content,
                "comment_type": 0,
            }
        )
        return number

    def comment_replies_to(self, user_comment_id: int) -> list[str]:
        """Public replies under one comment."""
        return [text for _, number, text in self.comment_replies if number == user_comment_id]

    def texts_to(self, openid: str) -> list[str]:
        """The contents sent to one citizen, in order."""
        return [s.content for s in self.sent if s.touser == openid]

    async def wait_for_texts(self, openid: str, count: int, timeout: float = 10.0) -> list[str]:
        """Wait until `count` messages reached `openid` (or the timeout); returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.texts_to(openid)) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.texts_to(openid)


@contextmanager
def running_wechat_api(apps: dict[str, str]) -> Iterator[tuple[str, FakeWeChatApi]]:
    """Serve a fake API for `apps` on loopback; yields the `api_base_url` and the fake."""
    api = FakeWeChatApi(apps)
    with serve(api.app) as base_url:
        yield f"{base_url}/cgi-bin/", api
