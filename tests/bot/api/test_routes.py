"""The staff API's transfer (转办): a person on the roster moves a ticket; bad requests change
nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select

from bot.runtime import Runtime
from knowledge_base.models import AuditRecord, Message, Ticket, TicketStatus
from tests.live_server import served_county

AUTH = {"Authorization": "Bearer s3cret-token"}


def state(runtime: Runtime, ticket_id: int) -> tuple[str, int, int]:
    """The ticket's department, its transfer records and the messages of its conversation."""
    with runtime.database.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        audits = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "ticket.transfer")
        ).all()
        messages = session.scalars(
            select(Message).where(Message.conversation_id == ticket.conversation_id)
        ).all()
        return ticket.department.name, len(audits), len(messages)


def test_staff_api_transfers_a_ticket_for_a_person_on_the_roster(tmp_path: Path) -> None:
    with (
        served_county(tmp_path, staff_api_token="s3cret-token") as (url, runtime),
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        chat = http.post("/api/chat", json={"text": "转人工"}).json()
        with runtime.database.session() as session:
            ticket_id = session.scalars(select(Ticket.id)).one()
        path = f"/api/staff/tickets/{ticket_id}/transfer"
        body = {"to": "sthj", "reason": "噪声归生态环境分局", "staff": "zfb-duty"}
        before = state(runtime, ticket_id)

        # No token or a wrong one: 401 with the challenge; the right token naming someone
        # who is not on the roster: 403.
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "s3cret"}):
            refused = http.post(path, json=body, headers=headers)
            assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
            assert refused.json() == {"error": "身份验证失败"}
        nobody = http.post(path, json={**body, "staff": "冒名者"}, headers=AUTH)
        assert nobody.status_code == 403 and "不在工作人员名单中" in nobody.json()["error"]
        unknown = http.post(path, json={**body, "to": "不存在的局"}, headers=AUTH)
        assert unknown.status_code == 404 and "不存在" in unknown.json()["error"]
        missing = http.post("/api/staff/tickets/999999/transfer", json=body, headers=AUTH)
        assert missing.status_code == 404
        assert http.post(path, json={**body, "reason": ""}, headers=AUTH).status_code == 400
        assert state(runtime, ticket_id) == before

        moved = http.post(path, json=body, headers=AUTH)
        assert moved.status_code == 200, moved.text
        assert moved.json() == {
            "ticket_id": ticket_id,
            "department": "市生态环境局云溪分局",
            "told": True,
            "detail": "已告知群众",
        }
        with runtime.database.session() as session:
            audit = session.scalars(
                select(AuditRecord).where(AuditRecord.action == "ticket.transfer")
            ).one()
            assert audit.actor == "陈值班" and audit.detail["reason"] == "噪声归生态环境分局"
        polled = http.get(
            "/api/chat/messages",
            params={"account": "yunxi-fabu-web", "session": chat["session"]},
        ).json()["messages"]
        assert [m["text"] for m in polled] == [
            "您反映的事项已转交市生态环境局云溪分局办理（联系电话：0578-5100140），"
            "将在原定时限内答复您。"
        ]

        closed = http.post(
            f"/api/staff/tickets/{ticket_id}/close", json={"staff": "zfb-duty"}, headers=AUTH
        )
        assert closed.json()["status"] == TicketStatus.CLOSED.value
        after_close = state(runtime, ticket_id)
        again = http.post(path, json={**body, "to": "zfb"}, headers=AUTH)
        assert again.status_code == 409 and "已关闭" in again.json()["error"]
        assert state(runtime, ticket_id) == after_close


def test_staff_api_reply_ack_and_close_refuse_someone_not_on_the_roster(tmp_path: Path) -> None:
    with (
        served_county(tmp_path, staff_api_token="s3cret-token") as (url, runtime),
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        http.post("/api/chat", json={"text": "转人工"})
        with runtime.database.session() as session:
            ticket_id = session.scalars(select(Ticket.id)).one()
        base = f"/api/staff/tickets/{ticket_id}"
        before = state(runtime, ticket_id)
        for action, body in (
            ("reply", {"text": "冒名的答复", "staff": "nobody"}),
            ("ack", {"staff": "nobody"}),
            ("close", {"staff": "nobody"}),
        ):
            refused = http.post(f"{base}/{action}", json=body, headers=AUTH)
            assert refused.status_code == 403, action
            assert refused.json() == {"error": "人员 nobody 不在工作人员名单中"}
        assert state(runtime, ticket_id) == before
        with runtime.database.session() as session:
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None
            assert ticket.status is TicketStatus.OPEN and not ticket.answered_by

        # A roster code is accepted and the ticket names the person, not the code.
        answered = http.post(
            f"{base}/reply", json={"text": "您好，已为您登记。", "staff": "zfb-duty"}, headers=AUTH
        )
        assert answered.status_code == 200, answered.text
        with runtime.database.session() as session:
            authors = session.scalars(
                select(Message.author).where(Message.text == "您好，已为您登记。")
            ).all()
            assert authors == ["staff:陈值班"]
