"""A stand-in for the WeCom API (qyapi.weixin.qq.com/cgi-bin) speaking its documented JSON.

The real wechatpy enterprise `WeChatClient` and httpx talk to it over HTTP on loopback. It issues
access tokens for one corp's applications, records application messages (message/send) and group
robot posts (webhook/send), and refuses them the way WeCom does: 40003 (or, as the live API
answers a batch of only invalid users, 81013) for an unknown userid, 93000 for an unknown robot
key. `fail_next` makes the next sends fail with an HTTP status and a non-JSON page (a 5xx,
or 200 as from a captive proxy) or with errcode -1 (系统繁忙).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tests.live_server import serve

JsonDict = dict[str, Any]
INVALID_TOKEN = {"errcode": 40014, "errmsg": "invalid access_token"}
SYSTEM_BUSY = {"errcode": -1, "errmsg": "system busy"}


@dataclass(frozen=True, slots=True)
class AppMessage:
    """One application text message as WeCom received it."""

    agent_id: int
    touser: str
    content: str
    msgid: str


@dataclass(frozen=True, slots=True)
class RobotPost:
    """One group robot text as WeCom received it."""

    key: str
    content: str
    mentioned_list: list[str]


class FakeWeComApi:
    """One corp: its applications (agent id → secret), members, robot keys, and what was sent."""

    def __init__(
        self, corp_id: str, apps: dict[int, str], users: set[str], robot_keys: set[str]
    ) -> None:
        self.corp_id = corp_id
        self.apps = apps
        self.users = users
        self.robot_keys = robot_keys
        self.unknown_user_errcode = 40003
        self.token_fetches = 0
        self.messages: list[AppMessage] = []
        self.robot_posts: list[RobotPost] = []
        self._tokens: dict[str, int] = {}  # access token → agent id
        self._serial = itertools.count(1)
        self._failures: list[int | None] = []  # HTTP status, or None for errcode -1
        self._lock = threading.Lock()
        self.app = self._build_app()

    def fail_next(self, times: int, *, status: int | None = None) -> None:
        """The next `times` sends fail: HTTP `status` if given, else errcode -1 (system busy)."""
        with self._lock:
            self._failures.extend([status] * times)

    def _failure(self) -> Response | None:
        with self._lock:
            if not self._failures:
                return None
            status = self._failures.pop(0)
        if status is None:
            return JSONResponse(SYSTEM_BUSY)
        return PlainTextResponse("upstream unavailable", status_code=status)

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/cgi-bin/gettoken")
        async def gettoken(corpid: str = "", corpsecret: str = "") -> JsonDict:
            if corpid != self.corp_id:
                return {"errcode": 40013, "errmsg": "invalid corpid"}
            agent = next((a for a, secret in self.apps.items() if secret == corpsecret), None)
            if agent is None:
                return {"errcode": 40001, "errmsg": "invalid secret"}
            token = f"TOKEN-{agent}-{next(self._serial)}"
            with self._lock:
                self._tokens[token] = agent
                self.token_fetches += 1
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

        @app.post("/cgi-bin/message/send", response_model=None)
        async def message_send(request: Request, access_token: str = "") -> Any:
            agent = self._tokens.get(access_token)
            if agent is None:
                return INVALID_TOKEN
            if (failure := self._failure()) is not None:
                return failure
            body = await request.json()
            if body.get("agentid") != agent:
                return {"errcode": 301002, "errmsg": "not allow operate another agent"}
            if body.get("msgtype") != "text" or not body.get("text", {}).get("content"):
                return {"errcode": 41009, "errmsg": "missing text content"}
            users = [u for u in str(body.get("touser", "")).split("|") if u]
            invalid = [u for u in users if u not in self.users]
            if not users or invalid == users:
                refusal = {"errcode": self.unknown_user_errcode, "errmsg": "invalid userid"}
                return {**refusal, "invaliduser": "|".join(invalid)}
            msgid = f"msg-{next(self._serial)}"
            with self._lock:
                for user in users:
                    if user not in invalid:
                        self.messages.append(
                            AppMessage(agent, user, body["text"]["content"], msgid)
                        )
            # Part of the batch being invalid does not fail the call: WeCom lists it instead.
            return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": msgid}

        @app.post("/cgi-bin/webhook/send", response_model=None)
        async def webhook_send(request: Request, key: str = "") -> Any:
            if key not in self.robot_keys:
                return {"errcode": 93000, "errmsg": "invalid webhook url"}
            if (failure := self._failure()) is not None:
                return failure
            body = await request.json()
            text = body.get("text", {})
            if body.get("msgtype") != "text" or not text.get("content"):
                return {"errcode": 40008, "errmsg": "invalid message type"}
            with self._lock:
                self.robot_posts.append(
                    RobotPost(key, text["content"], list(text.get("mentioned_list") or []))
                )
            return {"errcode": 0, "errmsg": "ok"}

        return app

    def texts_to(self, user: str) -> list[str]:
        """The application messages' contents received for one member, in order."""
        with self._lock:
            return [m.content for m in self.messages if m.touser == user]


@contextmanager
def running_wecom_api(
    corp_id: str, apps: dict[int, str], users: set[str], robot_keys: set[str]
) -> Iterator[tuple[str, FakeWeComApi]]:
    """Serve a fake WeCom on loopback; yields its `api_base_url` (…/cgi-bin/) and the fake."""
    api = FakeWeComApi(corp_id, apps, users, robot_keys)
    with serve(api.app) as base_url:
        yield f"{base_url}/cgi-bin/", api
