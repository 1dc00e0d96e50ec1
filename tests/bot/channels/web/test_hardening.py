"""The web chat against hostile clients: per-address limits, unstorable characters, browser
protections, one error shape, a health check that shows what waits in the spool, and any body
at all (property-based) answered or refused, never a 500 and never half-stored."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.runtime import Runtime
from knowledge_base.models import Direction, Message
from tests.live_server import served_county


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    with served_county(
        tmp_path_factory.mktemp("web-hardening"), address_limits={"web_chat": "5/minute"}
    ) as pair:
        yield pair


@pytest.fixture
def http(served: tuple[str, Runtime]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0], timeout=30) as client:
        yield client


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def test_leaving_out_the_session_does_not_get_round_the_limit(http: httpx.Client) -> None:
    codes = [
        http.post("/api/chat", json={"text": "你好"}, headers=_from("10.9.0.1")).status_code
        for _ in range(7)
    ]
    assert codes == [200] * 5 + [429] * 2
    refused = http.post("/api/chat", json={"text": "你好"}, headers=_from("10.9.0.1"))
    assert "频繁" in refused.json()["error"]
    other = http.post("/api/chat", json={"text": "你好"}, headers=_from("10.9.0.2"))
    assert other.status_code == 200


def test_nul_characters_are_removed_on_input(
    http: httpx.Client, served: tuple[str, Runtime]
) -> None:
    body = '{"text": "\\u516c\\u79ef\\u91d1a\\u0000b", "session": "0123\\u0000"}'
    response = http.post(
        "/api/chat",
        content=body.encode(),
        headers={"Content-Type": "application/json", **_from("10.9.1.1")},
    )
    assert response.status_code == 200
    with served[1].database.session() as session:
        texts = set(session.scalars(select(Message.text).where(Message.direction == Direction.IN)))
    assert "公积金ab" in texts


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "\xff\xfe"}',
        b'{"text": ',
        b"[1, 2]",
        b'{"text": 5}',
        b"\x00",
        b'{"text": "\\ud800"}',
    ],
    ids=["invalid-utf8", "truncated", "not-an-object", "wrong-type", "nul", "lone-surrogate"],
)
def test_every_bad_body_gets_the_same_error_shape(http: httpx.Client, body: bytes) -> None:
    response = http.post(
        "/api/chat",
        content=body,
        headers={"Content-Type": "application/json", **_from("10.9.2.1")},
    )
    assert response.status_code == 400
    refusal = response.json()
    assert refusal["error"] == "请求格式不正确"
    # What is wrong is said in Chinese, and a field is a field name, never a character offset.
    if "detail" in refusal:
        assert any("\u4e00" <= c <= "\u9fff" for c in refusal["detail"]), refusal
    assert not refusal.get("field", "").isdigit()


def test_pages_and_answers_carry_browser_protections(http: httpx.Client) -> None:
    for path in ("/", "/console/login", "/console/static/console.css", "/healthz", "/no-page"):
        headers = http.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
    stylesheet = http.get("/console/static/console.css")
    assert stylesheet.status_code == 200 and stylesheet.headers["content-type"].startswith(
        "text/css"
    )
    assert http.get("/console/static/../mount.py").status_code == 404
    page = http.get("/")
    policy = page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "script-src 'self' 'sha256-" in policy
    too_big = http.post("/api/chat", content=b"x" * 70_000, headers=_from("10.9.3.1"))
    assert too_big.status_code == 413 and too_big.headers["x-frame-options"] == "DENY"


def test_health_reports_the_spool_and_the_quarantine(
    http: httpx.Client, served: tuple[str, Runtime]
) -> None:
    spool = served[1].spool
    assert http.get("/healthz").json()["spool"] == {"depth": 0, "quarantined": 0}
    spool.quarantine(json.dumps({"channel": "web"}), ValueError("refused"))
    health = http.get("/healthz").json()
    assert health["ok"] is False and health["spool"] == {"depth": 0, "quarantined": 1}
    spool.requeue()
    health = http.get("/healthz").json()
    assert health["ok"] is False and health["spool"]["depth"] == 1


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(st.characters(codec=None))),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
CHAT_BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"text": st.text(st.characters(codec=None), max_size=300)},
        optional={
            "session": st.text(max_size=70),
            "account": st.text(max_size=70),
            "kind": st.text(max_size=10),
        },
    ).map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=CHAT_BODIES)
def test_any_chat_body_is_answered_or_refused_never_half_stored(
    served: tuple[str, Runtime], body: bytes
) -> None:
    with httpx.Client(base_url=served[0], timeout=30) as client:
        before = _counts(served[1])
        response = client.post(
            "/api/chat",
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7",
            },
        )
    assert response.status_code in (200, 400, 404, 429), response.text
    after = _counts(served[1])
    if response.status_code == 200:
        assert response.json()["reply"] is not None
        assert after[Direction.OUT] - before[Direction.OUT] >= 1
    else:
        assert "error" in response.json() and after == before


def _counts(runtime: Runtime) -> dict[Direction, int]:
    with runtime.database.session() as session:
        rows = session.execute(select(Message.direction, func.count()).group_by(Message.direction))
        found = {direction: int(count) for direction, count in rows}
    return {d: found.get(d, 0) for d in Direction}
