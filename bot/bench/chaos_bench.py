"""`govbot bench chaos`: nothing accepted is lost while Redis and PostgreSQL restart under load.

The benchmark starts its own PostgreSQL cluster (initdb in a temporary directory, its own port)
and its own Redis, never touching shared servers; a fake Telegram Bot API counts what is pushed.
Two `govbot serve` workers and two `govbot scheduler` processes run against them while citizens'
messages arrive over the web chat, WeChat (plain and safe mode) and Telegram, some of them
hostile; Redis and then PostgreSQL are restarted once each mid-run. Each well-formed message
carries a serial mark, so the database can be checked afterwards: every accepted message stored
once and answered, every accepted complaint a ticket.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import yaml
from wechatpy.crypto import WeChatCrypto

from bot.bench.http_bench import GOVBOT, _clean_env, _free_port
from knowledge_base.conversations import incoming_messages, last_reply_ids
from knowledge_base.db import Database
from knowledge_base.tickets import ticketed_conversations

PLAIN = ("yunxi-fabu-wechat", "plain-bench-token")
SAFE = ("yunxi-renshe-wechat", "safe-bench-token", "wxchaos000000001", "k" * 43)
TELEGRAM = ("yunxi-fabu-telegram", "1001:chaos-bench", "chaos-webhook-secret")
STAFF_TOKEN = "2002:staff-bench"
MARK = re.compile(r"〔编号(\d+)〕")
QUESTIONS = ("社保卡丢了怎么补办", "公积金怎么提取", "你好", "办事大厅几点下班", "转人工")


class _FakeTelegram(BaseHTTPRequestHandler):
    """Just enough Bot API: getMe, setWebhook, getUpdates, sendMessage (staff pushes counted)."""

    sent: ClassVar[Counter[str]] = Counter()
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode(errors="replace")
        method = self.path.rsplit("/", 1)[-1]
        result: Any = True
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
        elif method == "getUpdates":
            result = []
        elif method == "sendMessage":
            with self.lock:
                if STAFF_TOKEN in self.path:
                    self.sent[raw] += 1
                number = time.monotonic_ns() % 2**31
            result = {"message_id": number, "date": 0, "chat": {"id": 1, "type": "private"}}
        body = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        return


@contextmanager
def _postgres(directory: Path) -> Iterator[tuple[str, list[str]]]:
    """A PostgreSQL cluster of our own; yields its URL and the command that restarts it."""
    data = directory / "pg"
    data.mkdir()
    # PostgreSQL refuses to run as root: the cluster then belongs to the postgres user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(directory, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    subprocess.run(
        [*as_user, "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=200"
    control = [*as_user, "pg_ctl", "-D", str(data), "-o", options, "-w", "-l", str(data / "log")]
    subprocess.run([*control, "start"], check=True, capture_output=True)
    try:
        subprocess.run(
            [*as_user, "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "govbot"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/govbot", [*control, "-m", "fast", "restart"]
    finally:
        subprocess.run([*control, "-m", "immediate", "stop"], capture_output=True)


class _Redis:
    """A Redis server of our own on its own port, without persistence (a restart forgets)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def _settings(directory: Path, telegram_api: str) -> Path:
    path = directory / "chaos.yaml"
    wechat = {
        PLAIN[0]: {"app_id": "wxchaos000000000", "app_secret": "s", "token": PLAIN[1]},
        SAFE[0]: {
            "app_id": SAFE[2],
            "app_secret": "s",
            "token": SAFE[1],
            "encoding_aes_key": SAFE[3],
            "mode": "safe",
        },
    }
    settings = {
        "wechat": {"accounts": wechat, "api_base_url": telegram_api + "/wechat/"},
        "telegram": {
            "mode": "webhook",
            "base_url": telegram_api + "/bot",
            "accounts": {TELEGRAM[0]: {"token": TELEGRAM[1], "webhook_secret": TELEGRAM[2]}},
        },
        "notifiers": {"telegram": {"token": STAFF_TOKEN, "base_url": telegram_api + "/bot"}},
        "scheduler_in_serve": False,
        # Every sender is one of 2,000 people sending about five messages each; no address
        # limit applies on loopback load, the per-sender limit still does.
        "address_limits": {"web_chat": "1000000/minute"},
    }
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def _sign(token: str, stamp: str, nonce: str, *extra: str) -> str:
    return hashlib.sha1("".join(sorted([token, stamp, nonce, *extra])).encode()).hexdigest()


def _wechat_xml(sender: str, text: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_chaos]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


class _Citizens:
    """Builds each request; knows which ones carry a mark that must reach the database."""

    def __init__(self, url: str, senders: int, hostile: float, seed: int = 14) -> None:
        self.url = url
        self.random = random.Random(seed)
        self.senders = [uuid.UUID(int=self.random.getrandbits(128)).hex for _ in range(senders)]
        self.hostile = hostile
        self.crypto = WeChatCrypto(SAFE[1], SAFE[3], SAFE[2])
        self.sent_ids: list[tuple[str, str, str]] = []  # WeChat pushes to replay later

    def request(self, n: int) -> tuple[str, dict[str, Any], str | None, bool]:
        """(path, httpx arguments, mark or None, whether it is a complaint)."""
        sender = self.senders[n % len(self.senders)]
        complaint = n % 10 == 3
        text = ("我要投诉：窗口办事太慢" if complaint else self.random.choice(QUESTIONS)) + (
            f"〔编号{n}〕"
        )
        channel = ("web", "plain", "safe", "telegram")[n % 4]
        if self.random.random() < self.hostile:
            return self._hostile(n, sender, channel)
        if channel == "web":
            return "/api/chat", {"json": {"text": text, "session": sender}}, str(n), complaint
        if channel == "telegram":
            update = {
                "update_id": 10_000_000 + n,
                "message": {
                    "message_id": n + 1,
                    "date": int(time.time()),
                    "chat": {"id": int(sender[:12], 16), "type": "private"},
                    "from": {"id": int(sender[:12], 16), "is_bot": False, "first_name": "市民"},
                    "text": text,
                },
            }
            headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM[2]}
            return (
                f"/telegram/{TELEGRAM[0]}",
                {"json": update, "headers": headers},
                str(n),
                complaint,
            )
        xml = _wechat_xml("o" + sender[:27], text, 10**15 + n)
        self.sent_ids.append((channel, "o" + sender[:27], xml))
        return (*self._wechat(channel, xml), str(n), complaint)

    def _wechat(self, channel: str, xml: str) -> tuple[str, dict[str, Any]]:
        stamp, nonce = str(int(time.time())), uuid.uuid4().hex[:12]
        if channel == "plain":
            query = {"signature": _sign(PLAIN[1], stamp, nonce), "timestamp": stamp, "nonce": nonce}
            return f"/wechat/{PLAIN[0]}", {"params": query, "content": xml.encode()}
        sealed = self.crypto.encrypt_message(xml, nonce, stamp)
        encrypted = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>", sealed)
        assert encrypted is not None
        body = f"<xml><Encrypt><![CDATA[{encrypted.group(1)}]]></Encrypt></xml>"
        query = {
            "signature": _sign(SAFE[1], stamp, nonce),
            "timestamp": stamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": _sign(SAFE[1], stamp, nonce, encrypted.group(1)),
        }
        return f"/wechat/{SAFE[0]}", {"params": query, "content": body.encode()}

    def _hostile(self, n: int, sender: str, channel: str) -> tuple[str, dict[str, Any], None, bool]:
        kind = n % 5
        if kind == 0:  # NUL characters: accepted, stored without them (marked separately)
            return "/api/chat", {"json": {"text": "a\u0000b\u0000", "session": sender}}, None, False
        if kind == 1:  # invalid UTF-8
            body = b'{"text": "\xff\xfe\xfd"}'
            headers = {"Content-Type": "application/json"}
            return "/api/chat", {"content": body, "headers": headers}, None, False
        if kind == 2:  # 64 KB
            return "/api/chat", {"json": {"text": "长" * 30_000}}, None, False
        if kind == 3 and self.sent_ids:  # a MsgId WeChat already delivered, freshly signed
            replay_channel, _, xml = self.random.choice(self.sent_ids)
            return (*self._wechat(replay_channel, xml), None, False)
        stamp, nonce = str(int(time.time())), uuid.uuid4().hex[:12]  # a forged signature
        query = {"signature": "0" * 40, "timestamp": stamp, "nonce": nonce}
        xml = _wechat_xml("o" + sender[:27], "伪造", 1)
        return f"/wechat/{PLAIN[0]}", {"params": query, "content": xml.encode()}, None, False


async def _send_all(
    citizens: _Citizens, messages: int, concurrency: int, events: dict[int, Any]
) -> tuple[set[str], set[str], Counter[int]]:
    accepted: set[str] = set()
    complaints: set[str] = set()
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(messages):
        queue.put_nowait(n)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            if n in events:
                await asyncio.to_thread(events[n])
            path, arguments, mark, complaint = citizens.request(n)
            for _ in range(20):  # a refused connection is retried, as WeChat and Telegram do
                try:
                    response = await client.post(path, **arguments)
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.5)
            else:
                statuses[0] += 1
                continue
            statuses[response.status_code] += 1
            if response.status_code == 200 and mark is not None:
                accepted.add(mark)
                if complaint:
                    complaints.add(mark)

    async with httpx.AsyncClient(base_url=citizens.url, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return accepted, complaints, statuses


def _stored(database: Database) -> tuple[Counter[str], set[str], set[str]]:
    """Marks of stored messages (with counts), marks answered, marks whose conversation has a
    ticket. A conversation with a ticket is in staff's hands: the bot acknowledges it once and
    further messages join that ticket, so they count as answered and, for complaints, ticketed."""
    with database.session() as session:
        rows = incoming_messages(session)
        last_reply = last_reply_ids(session)
        with_ticket = ticketed_conversations(session)
    stored: Counter[str] = Counter()
    answered: set[str] = set()
    ticketed: set[str] = set()
    for conversation_id, message_id, text in rows:
        found = MARK.search(text)
        if found is None:
            continue
        mark = found.group(1)
        stored[mark] += 1
        if conversation_id in with_ticket:
            ticketed.add(mark)
        if last_reply.get(conversation_id, 0) > message_id or conversation_id in with_ticket:
            answered.add(mark)
    return stored, answered, ticketed


def _server_errors(path: Path, keep: int = 5) -> dict[str, Any]:
    """How many tracebacks the servers and schedulers logged, and the first few distinct
    exception lines ending them, so that a 500 in the statuses can be explained."""
    if not path.is_file():
        return {"tracebacks": 0, "first": []}
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    kinds: list[str] = []
    for number, line in enumerate(lines[1:], start=1):
        # The exception line: unindented, right after the traceback's indented source lines.
        ends_traceback = line and not line.startswith((" ", "Traceback"))
        if ends_traceback and lines[number - 1].startswith("    ") and line[:200] not in kinds:
            kinds.append(line[:200])
    tracebacks = sum(line.startswith("Traceback") for line in lines)
    return {"tracebacks": tracebacks, "first": kinds[:keep]}


def run_chaos_bench(
    *, messages: int, senders: int, hostile: float, workers: int, schedulers: int
) -> dict[str, Any]:
    """Run the whole scenario; returns the figures."""
    started = time.monotonic()
    _FakeTelegram.sent = Counter()
    with tempfile.TemporaryDirectory(prefix="govbot-chaos-") as tmp:
        directory = Path(tmp)
        fake = ThreadingHTTPServer(("127.0.0.1", 0), _FakeTelegram)
        threading.Thread(target=fake.serve_forever, daemon=True).start()
        redis = _Redis()
        redis.start()
        processes: list[subprocess.Popen[bytes]] = []
        try:
            with _postgres(directory) as (database_url, restart_postgres):
                env = _clean_env(
                    DATABASE_URL=database_url,
                    REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
                    GOVBOT_SETTINGS_FILE=str(
                        _settings(directory, f"http://127.0.0.1:{fake.server_port}")
                    ),
                    GOVBOT_SPOOL_DIR=str(directory / "spool"),
                )
                subprocess.run([GOVBOT, "init"], env=env, check=True, capture_output=True)
                port = _free_port()
                log = (directory / "processes.log").open("wb")
                processes.append(
                    subprocess.Popen(
                        [GOVBOT, "serve", "--port", str(port), "--workers", str(workers)],
                        env=env,
                        stdout=log,
                        stderr=log,
                    )
                )
                for _ in range(schedulers):
                    processes.append(
                        subprocess.Popen([GOVBOT, "scheduler"], env=env, stdout=log, stderr=log)
                    )
                url = f"http://127.0.0.1:{port}"
                _wait_healthy(url)

                def restart_redis() -> None:
                    redis.stop()
                    redis.start()

                def restart_pg() -> None:
                    subprocess.run(restart_postgres, check=True, capture_output=True)

                events = {messages // 3: restart_redis, 2 * messages // 3: restart_pg}
                citizens = _Citizens(url, senders, hostile)
                load_started = time.monotonic()
                accepted, complaints, statuses = asyncio.run(
                    _send_all(citizens, messages, 16, events)
                )
                load_seconds = time.monotonic() - load_started
                database = Database(database_url)
                drain_started = time.monotonic()
                while True:
                    stored, answered, ticketed = _stored(database)
                    if accepted <= set(stored) or time.monotonic() - drain_started > 300:
                        break
                    time.sleep(1)
                drain_seconds = time.monotonic() - drain_started
                database.dispose()
                quarantined = sum(
                    len(p.read_text(encoding="utf-8").splitlines())
                    for p in (directory / "spool").glob("quarantine*.jsonl")
                )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)
            redis.stop()
            fake.shutdown()
        errors = _server_errors(directory / "processes.log")
    pushes = _FakeTelegram.sent
    return {
        "messages": messages,
        "senders": senders,
        "hostile_share": hostile,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": errors,
        "accepted": len(accepted),
        "stored": len(accepted & set(stored)),
        "answered": len(accepted & answered),
        "duplicated": sum(count - 1 for count in stored.values()),
        "lost": len(accepted - set(stored)),
        "tickets_expected": len(complaints),
        "tickets_opened": len(complaints & ticketed),
        "pushes": sum(pushes.values()),
        "pushes_duplicated": sum(count - 1 for count in pushes.values()),
        "quarantined": quarantined,
        "load_seconds": round(load_seconds, 1),
        "drain_seconds": round(drain_seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
    }


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("govbot serve did not start")
