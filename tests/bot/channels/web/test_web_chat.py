"""The web chat over real HTTP (uvicorn on loopback): answers, bad input, human replies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from knowledge_base.conversations import store_outgoing
from knowledge_base.models import Conversation, Message
from knowledge_base.workflow import get_entry
from tests.live_server import POLICE_WEB, served_county


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    with served_county(tmp_path_factory.mktemp("web"), web_accounts=[POLICE_WEB]) as pair:
        yield pair


@pytest.fixture
def http(served: tuple[str, Runtime]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0], timeout=10) as client:
        yield client


def message_count(runtime: Runtime) -> int:
    with runtime.database.session() as session:
        return len(list(session.scalars(select(Message.id))))


def test_the_chat_api_answers_from_the_knowledge_base(
    http: httpx.Client, served: tuple[str, Runtime]
) -> None:
    response = http.post("/api/chat", json={"text": "社保卡丢了怎么补办"})
    assert response.status_code == 200
    data = response.json()
    with served[1].database.session() as session:
        version = get_entry(session, code="SB-0001").live_version
        assert version is not None
    assert data["reply"]["text"] == version.answer
    assert len(data["session"]) == 32 and data["last_id"] > 0


def test_the_session_keeps_the_conversation(http: httpx.Client) -> None:
    first = http.post("/api/chat", json={"text": "你好"}).json()
    second = http.post("/api/chat", json={"text": "谢谢", "session": first["session"]}).json()
    assert second["session"] == first["session"]
    assert "不客气" in second["reply"]["text"]


def test_asking_for_a_human_is_handed_over(http: httpx.Client) -> None:
    data = http.post("/api/chat", json={"text": "转人工"}).json()
    assert data["reply"]["handover"] is True


def test_malformed_json_is_400_and_nothing_stored(
    http: httpx.Client, served: tuple[str, Runtime]
) -> None:
    before = message_count(served[1])
    bad = http.post(
        "/api/chat", content=b'{"text": "abc"', headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400 and "格式" in bad.json()["error"]
    wrong_type = http.post("/api/chat", json={"text": ["not", "text"]})
    assert wrong_type.status_code == 400
    assert message_count(served[1]) == before


def test_a_body_over_64_kb_is_413(http: httpx.Client, served: tuple[str, Runtime]) -> None:
    before = message_count(served[1])
    big = json.dumps({"text": "长" * 40_000}, ensure_ascii=False).encode()
    assert len(big) > 64 * 1024
    assert (
        http.post(
            "/api/chat", content=big, headers={"content-type": "application/json"}
        ).status_code
        == 413
    )

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}'

    streamed = http.post(
        "/api/chat", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert message_count(served[1]) == before


def test_only_open_web_accounts_are_served(http: httpx.Client, served: tuple[str, Runtime]) -> None:
    before = message_count(served[1])
    # The API: unknown accounts and other platforms' accounts (they answer on their own
    # channel) are refused alike, in Chinese.
    for code in ("nope", "yunxi-gongan-wechat"):
        refused = http.post("/api/chat", json={"text": "你好", "account": code})
        assert refused.status_code == 404
        assert refused.json() == {"error": f"账号 {code} 不存在、已注销，或不是网站在线咨询账号。"}
        polled = http.get(
            "/api/chat/messages", params={"account": code, "session": "0" * 32, "after": 0}
        )
        assert polled.status_code == 404
    assert message_count(served[1]) == before
    # The page a citizen follows a link to: a Chinese page, not JSON, and not echoing the link.
    for code in ("nope", "yunxi-gongan-wechat", "请拨打12345678领取补贴"):
        page = http.get("/chat", params={"account": code})
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "未找到该在线咨询" in page.text and 'href="/"' in page.text
        assert code not in page.text


def test_every_web_account_answers_with_the_same_text(http: httpx.Client) -> None:
    texts = {
        account: http.post(
            "/api/chat", json={"text": "公积金租房提取需要什么材料", "account": account}
        ).json()["reply"]["text"]
        for account in ("yunxi-fabu-web", "yunxi-gongan-web")
    }
    assert len(set(texts.values())) == 1


def test_the_page_is_served_for_an_account(http: httpx.Client) -> None:
    page = http.get("/chat", params={"account": "yunxi-gongan-web"})
    assert page.status_code == 200
    assert "云溪公安" in page.text and 'content="width=device-width' in page.text
    assert 'const account = "yunxi-gongan-web";' in page.text
    assert http.get("/").status_code == 200


def test_a_staff_reply_reaches_the_citizen_by_polling(
    http: httpx.Client, served: tuple[str, Runtime]
) -> None:
    start = http.post("/api/chat", json={"text": "转人工"}).json()
    session_id = start["session"]
    params = {"account": "yunxi-fabu-web", "session": session_id, "after": start["last_id"]}
    assert http.get("/api/chat/messages", params=params).json()["messages"] == []
    runtime = served[1]
    with runtime.database.session() as session:
        conversation_id = session.scalars(
            select(Conversation.id).where(Conversation.citizen_id == session_id)
        ).one()
        store_outgoing(
            session, conversation_id=conversation_id, text="您好，已为您查询……", author="staff:王敏"
        )
    messages = http.get("/api/chat/messages", params=params).json()["messages"]
    assert [m["text"] for m in messages] == ["您好，已为您查询……"]
    bad = http.get("/api/chat/messages", params={**params, "session": "../../etc"})
    assert bad.status_code == 400
    # A number no row id can reach is refused, not passed to the database driver.
    huge = http.get("/api/chat/messages", params={**params, "after": str(10**26)})
    assert huge.status_code == 400 and "error" in huge.json()


def test_script_in_a_message_is_never_echoed_as_html(http: httpx.Client) -> None:
    page = http.get("/chat", params={"account": "yunxi-fabu-web"})
    assert "<script>alert" not in page.text
    data = http.post("/api/chat", json={"text": "<script>alert(1)</script>"}).json()
    assert data["reply"]["text"]  # answered as text; the page renders it with textContent


def test_health_endpoint(http: httpx.Client, tmp_path: Path) -> None:
    health = http.get("/healthz").json()
    assert health["ok"] is True
    assert health["engine"]["mode"] == "semantic"
    assert health["engine"]["jurisdiction"] == "云溪县"
