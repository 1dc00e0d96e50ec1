"""A stand-in for the Telegram Bot API on loopback, speaking its documented JSON.

The real python-telegram-bot `Bot(token, base_url=api.base_url)` talks to it over HTTP. It
records what the bots send (messages, callback answers, keyboard edits, webhooks) and serves
queued updates to getUpdates, with Telegram's long polling and its refusals: 401 for an unknown
token, 403 for a chat that blocked the bot, 409 for getUpdates while a webhook is set.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

JsonDict = dict[str, Any]


class ApiError(Exception):
    """A Bot API refusal: `{"ok": false, "error_code": …, "description": …}`."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass(frozen=True)
class SentMessage:
    """One sendMessage call as Telegram received it."""

    token: str
    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: JsonDict | None

    @property
    def buttons(self) -> list[JsonDict]:
        """The inline keyboard's buttons, row by row, left to right."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


def _decode(value: str) -> Any:
    """Form fields carry arrays and objects (reply_markup, allowed_updates) as JSON text."""
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeTelegramApi:
    """The Bot API for the given bot tokens; thread-safe, as each request has its own thread."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self.tokens = set(tokens)
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, str, JsonDict]] = []  # (token, method, parameters)
        self.webhooks: dict[str, JsonDict] = {}
        self.blocked_chats: set[int] = set()
        self._updates: dict[str, list[JsonDict]] = {}
        self._changed = threading.Condition()
        self._next_message_id = 1000
        self._closing = False
        self._server: ThreadingHTTPServer | None = None
        self._methods: dict[str, Callable[[str, JsonDict], Any]] = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "answerCallbackQuery": lambda token, p: self._require(p, "callback_query_id"),
            "editMessageReplyMarkup": self._edit_reply_markup,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getUpdates": self._get_updates,
        }

    @property
    def base_url(self) -> str:
        """What `Bot(base_url=…)` needs: the token is appended to it."""
        assert self._server is not None, "the fake API is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    @contextmanager
    def running(self) -> Iterator[FakeTelegramApi]:
        """Serve on a free loopback port until the block ends."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            with self._changed:
                self._closing = True
                self._changed.notify_all()  # release long polls at once
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)

    # What tests arrange and look at.

    def queue_update(self, token: str, update: JsonDict) -> None:
        """Make `update` the next thing getUpdates returns to this bot."""
        with self._changed:
            self._updates.setdefault(token, []).append(update)
            self._changed.notify_all()

    def wait_for_sent(
        self, count: int = 1, *, chat_id: int | None = None, timeout: float = 15
    ) -> list[SentMessage]:
        """The first `count` messages sent (to `chat_id`), waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self.sent_to(chat_id)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} messages, got {found!r}")
                self._changed.wait(left)
            return found

    def sent_to(self, chat_id: int | None) -> list[SentMessage]:
        """Messages sent so far, to `chat_id` or to anyone."""
        with self._changed:
            return [m for m in self.sent if chat_id is None or m.chat_id == chat_id]

    def calls_of(self, method: str) -> list[JsonDict]:
        """The parameters of every call of `method`, oldest first."""
        with self._changed:
            return [params for _, name, params in self.calls if name == method]

    # The Bot API methods.

    def _call(self, token: str, method: str, params: JsonDict) -> Any:
        if token not in self.tokens:
            raise ApiError(401, "Unauthorized")
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found")
        with self._changed:
            self.calls.append((token, method, params))
            self._changed.notify_all()
        return handler(token, params)

    @staticmethod
    def _require(params: JsonDict, *names: str) -> bool:
        for name in names:
            if params.get(name) in (None, ""):
                raise ApiError(400, f"Bad Request: parameter {name} is required")
        return True

    def _get_me(self, token: str, params: JsonDict) -> JsonDict:
        bot_id = int(token.split(":", 1)[0])
        return {"id": bot_id, "is_bot": True, "first_name": "云溪发布", "username": f"bot{bot_id}"}

    def _message(self, chat_id: int, **extra: Any) -> JsonDict:
        with self._changed:
            self._next_message_id += 1
            message_id = self._next_message_id
        chat = {"id": chat_id, "type": "private"}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, **extra}

    def _send_message(self, token: str, params: JsonDict) -> JsonDict:
        self._require(params, "chat_id", "text")
        chat_id, text = int(params["chat_id"]), str(params["text"])
        if chat_id in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        message = self._message(chat_id, text=text, **({"reply_markup": markup} if markup else {}))
        with self._changed:
            self.sent.append(
                SentMessage(
                    token, chat_id, message["message_id"], text, params.get("parse_mode"), markup
                )
            )
            self._changed.notify_all()
        return message

    def _edit_reply_markup(self, token: str, params: JsonDict) -> JsonDict:
        self._require(params, "chat_id", "message_id")
        message = self._message(int(params["chat_id"]), text="")
        message["message_id"] = int(params["message_id"])
        return message

    def _set_webhook(self, token: str, params: JsonDict) -> bool:
        self._require(params, "url")
        with self._changed:
            self.webhooks[token] = params
        return True

    def _delete_webhook(self, token: str, params: JsonDict) -> bool:
        with self._changed:
            self.webhooks.pop(token, None)
        return True

    def _get_updates(self, token: str, params: JsonDict) -> list[JsonDict]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 50)
        with self._changed:
            if token in self.webhooks:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            # An offset confirms every update before it: Telegram forgets them.
            queue = [u for u in self._updates.get(token, []) if u["update_id"] >= offset]
            self._updates[token] = queue
            while not self._updates[token] and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return list(self._updates[token])

    # HTTP.

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                url = urlsplit(self.path)
                _, _, rest = url.path.partition("/bot")
                token, _, method = rest.partition("/")
                try:
                    params = {k: _decode(v) for k, v in parse_qsl(url.query)}
                    params.update(self._body())
                    body: JsonDict = {"ok": True, "result": api._call(token, method, params)}
                    status = 200
                except ApiError as exc:
                    body = {"ok": False, "error_code": exc.code, "description": exc.description}
                    status = exc.code
                self._reply(status, body)

            def _body(self) -> JsonDict:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                kind = self.headers.get("Content-Type", "")
                if not raw:
                    return {}
                if kind.startswith("application/json"):
                    return dict(json.loads(raw))
                if kind.startswith("application/x-www-form-urlencoded"):
                    return {k: _decode(v) for k, v in parse_qsl(raw)}
                raise ApiError(400, f"Bad Request: unsupported content type {kind}")

            def _reply(self, status: int, body: JsonDict) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # tests read the records, not the access log

        return Handler
