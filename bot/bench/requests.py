"""Request makers for the load client: web chat JSON and signed WeChat XML."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import yaml

RequestMaker = Callable[[int], bytes]
DEFAULT_ENTRIES = Path(__file__).resolve().parents[2] / "config" / "sample_county" / "entries.yaml"
# Everyday messages citizens also send, so the load is not only knowledge-base hits.
OTHER_MESSAGES = ("你好", "谢谢", "在吗", "今天天气怎么样", "转人工", "办事大厅几点下班")


def citizen_messages(entries_file: Path) -> list[str]:
    """Questions and alternate wordings of the entries plus everyday messages."""
    entries = yaml.safe_load(entries_file.read_text(encoding="utf-8"))
    texts = [e["question"] for e in entries] + [a for e in entries for a in e.get("alternates", [])]
    return texts + list(OTHER_MESSAGES) * max(1, len(texts) // 30)


def _text(texts: list[str], n: int, options: dict[str, str]) -> str:
    """The n-th message; with `unique=1` a serial number makes every message a new text, so no
    cache spares the engine its work (citizens rarely send the same words twice)."""
    text = texts[n % len(texts)]
    return f"{text}（第{n}次）" if options.get("unique") == "1" else text


def _post(host: str, path: str, body: bytes, content_type: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def web_requests(host: str, options: dict[str, str]) -> RequestMaker:
    """POST /api/chat from a pool of citizens, each asking questions in turn."""
    texts = citizen_messages(Path(options.get("entries", DEFAULT_ENTRIES)))
    sessions = [uuid.uuid4().hex for _ in range(int(options.get("citizens", 5000)))]
    account = options.get("account", "yunxi-fabu-web")

    def make(n: int) -> bytes:
        body = json.dumps(
            {
                "account": account,
                "session": sessions[n % len(sessions)],
                "text": _text(texts, n, options),
            },
            ensure_ascii=False,
        ).encode()
        return _post(host, "/api/chat", body, "application/json")

    return make


def wechat_requests(host: str, options: dict[str, str]) -> RequestMaker:
    """POST /wechat/{account} text messages in plain mode, signed with the account's token."""
    texts = citizen_messages(Path(options.get("entries", DEFAULT_ENTRIES)))
    token, account = options["token"], options["account"]
    citizens = [f"o{uuid.uuid4().hex[:27]}" for _ in range(int(options.get("citizens", 5000)))]

    def make(n: int) -> bytes:
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
        signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
        xml = (
            f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
            f"<FromUserName><![CDATA[{citizens[n % len(citizens)]}]]></FromUserName>"
            f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{_text(texts, n, options)}]]></Content>"
            f"<MsgId>{10**15 + n}{uuid.uuid4().int % 1000}</MsgId></xml>"
        )
        path = f"/wechat/{account}?signature={signature}&timestamp={timestamp}&nonce={nonce}"
        return _post(host, path, xml.encode(), "text/xml")

    return make


REQUEST_KINDS: dict[str, Callable[[str, dict[str, str]], RequestMaker]] = {
    "web": web_requests,
    "wechat": wechat_requests,
}
