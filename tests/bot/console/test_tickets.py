"""The ticket queue: urgency colours, replies on the citizen's channel and their failures."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from bot.console.ticket_queue import urgency
from bot.runtime import Runtime
from handlers.texts import RATE_LIMITED
from knowledge_base.models import AuditRecord, Ticket, TicketStatus
from tests.bot.console.console_client import ConsoleClient


def newest_ticket(runtime: Runtime) -> Ticket:
    with runtime.database.session() as session:
        ticket = session.scalar(select(Ticket).order_by(Ticket.id.desc()))
        assert ticket is not None
        return ticket


def handed_over(served: tuple[str, Runtime]) -> tuple[str, Ticket]:
    """A new web-chat citizen asks for a person: their session and the ticket opened."""
    base_url, runtime = served
    citizen = uuid.uuid4().hex
    chat = {"text": "转人工", "session": citizen}
    assert httpx.post(f"{base_url}/api/chat", json=chat, timeout=30).json()["reply"]["handover"]
    return citizen, newest_ticket(runtime)


def set_due(runtime: Runtime, ticket_id: int, due: datetime) -> None:
    with runtime.database.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        ticket.first_response_due = due


def test_urgency_is_overdue_then_due_today_then_nothing() -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in the county
    assert urgency(now - timedelta(minutes=1), now, tz) == "overdue"
    assert urgency(now + timedelta(hours=5), now, tz) == "today"
    assert urgency(now + timedelta(days=2), now, tz) == ""
    assert urgency(None, now, tz) == ""


def test_overdue_tickets_are_red_and_replies_reach_the_web_chat(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    citizen, ticket = handed_over(served)
    set_due(runtime, ticket.id, datetime.now(UTC) - timedelta(hours=1))

    duty = signed_in("duty-zfb")
    queue = duty.get("/console/tickets").text
    row = queue.split(f'href="/console/tickets/{ticket.id}"')[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row
    assert "已超期" in queue
    # The channel is named as staff say it, not by its code.
    assert "· 网站" in queue and "· web<" not in queue

    taken = duty.submit(f"/console/tickets/{ticket.id}/acknowledge", {})
    assert "已受理" in duty.get(taken.headers["location"]).text
    assert newest_ticket(runtime).status is TicketStatus.ACKNOWLEDGED
    assert newest_ticket(runtime).answered_by == "duty-zfb"

    replied = duty.submit(f"/console/tickets/{ticket.id}/reply", {"text": "您好，已为您登记。"})
    assert replied.status_code == 303
    assert "答复已送达群众" in duty.get(replied.headers["location"]).text
    polled = httpx.get(
        f"{base_url}/api/chat/messages",
        params={"account": "yunxi-fabu-web", "session": citizen},
    ).json()["messages"]
    assert [m["text"] for m in polled] == ["您好，已为您登记。"]
    assert newest_ticket(runtime).status is TicketStatus.ANSWERED

    closed = duty.submit(f"/console/tickets/{ticket.id}/close", {})
    assert closed.status_code == 303
    assert newest_ticket(runtime).status is TicketStatus.CLOSED


def test_a_reply_that_cannot_be_delivered_says_why(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    body = {"text": "转人工", "session": uuid.uuid4().hex}
    assert httpx.post(f"{base_url}/api/chat", json=body, timeout=30).json()["reply"]["handover"]
    ticket = newest_ticket(runtime)
    with runtime.database.session() as session:
        row = session.get(Ticket, ticket.id)
        assert row is not None
        row.channel = "wechat"  # WeChat is not configured in the test app
    duty = signed_in("duty-zfb")
    replied = duty.submit(f"/console/tickets/{ticket.id}/reply", {"text": "您好"})
    page = duty.get(replied.headers["location"]).text
    assert "答复未能送达：渠道 wechat 未启用，无法送达" in page
    assert newest_ticket(runtime).status is not TicketStatus.ANSWERED
    # The conversation itself shows the final state with the reason, on every later visit.
    again = duty.get(f"/console/tickets/{ticket.id}").text
    assert "未送达：渠道 wechat 未启用，无法送达" in again


def transfers_of(runtime: Runtime, ticket_id: int) -> list[AuditRecord]:
    with runtime.database.session() as session:
        return list(
            session.scalars(
                select(AuditRecord).where(
                    AuditRecord.action == "ticket.transfer", AuditRecord.target == str(ticket_id)
                )
            )
        )


def test_duty_staff_transfer_a_ticket_and_the_citizen_is_told(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    citizen, ticket = handed_over(served)
    duty = signed_in("duty-zfb")
    page = duty.get(f"/console/tickets/{ticket.id}").text
    assert "转办" in page and 'value="sthj"' in page

    # A department that does not exist: said so, nothing moved, nobody told.
    refused = duty.submit(
        f"/console/tickets/{ticket.id}/transfer", {"to": "不存在的局", "reason": "试试"}
    )
    assert refused.status_code == 400 and "部门 不存在的局 不存在" in refused.text
    assert newest_ticket(runtime).department_id == ticket.department_id
    assert transfers_of(runtime, ticket.id) == []
    no_reason = duty.submit(f"/console/tickets/{ticket.id}/transfer", {"to": "sthj", "reason": " "})
    assert no_reason.status_code == 400 and "转办须说明理由" in no_reason.text
    assert newest_ticket(runtime).department_id == ticket.department_id

    moved = duty.submit(
        f"/console/tickets/{ticket.id}/transfer", {"to": "sthj", "reason": "噪声污染归生态环境分局"}
    )
    assert moved.status_code == 303
    # The duty officer of 县政府办 no longer sees it: back to the queue, with what happened.
    assert moved.headers["location"] == "/console/tickets"
    assert "已转交市生态环境局云溪分局办理（已告知群众）" in duty.get("/console/tickets").text
    after = newest_ticket(runtime)
    assert after.status is TicketStatus.OPEN
    assert (after.first_response_due, after.resolution_due) == (
        ticket.first_response_due,
        ticket.resolution_due,
    )
    (audit,) = transfers_of(runtime, ticket.id)
    assert audit.actor == "duty-zfb" and audit.detail["reason"] == "噪声污染归生态环境分局"
    assert audit.detail["to"] == "市生态环境局云溪分局"
    polled = httpx.get(
        f"{base_url}/api/chat/messages", params={"account": "yunxi-fabu-web", "session": citizen}
    ).json()["messages"]
    assert len(polled) == 1 and "市生态环境局云溪分局" in polled[0]["text"]
    # Now it is another department's ticket: the first officer cannot move it again.
    again = duty.submit(f"/console/tickets/{ticket.id}/transfer", {"to": "zfb", "reason": "x"})
    assert again.status_code == 404


def test_a_closed_or_unknown_ticket_is_not_transferred(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    _, ticket = handed_over(served)
    admin = signed_in("admin")
    assert admin.submit(f"/console/tickets/{ticket.id}/close", {}).status_code == 303
    refused = admin.submit(
        f"/console/tickets/{ticket.id}/transfer", {"to": "sthj", "reason": "归生态环境分局"}
    )
    assert refused.status_code == 400 and "已关闭，不能转办" in refused.text
    assert newest_ticket(runtime).department_id == ticket.department_id
    assert transfers_of(runtime, ticket.id) == []
    unknown = admin.submit("/console/tickets/999999/transfer", {"to": "sthj", "reason": "x"})
    assert unknown.status_code == 404


def test_an_over_long_transfer_reason_is_refused_on_the_page_with_the_reason_kept(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    _, ticket = handed_over(served)
    duty = signed_in("duty-zfb")
    reason = "噪声<扰民>" * 200
    refused = duty.submit(
        f"/console/tickets/{ticket.id}/transfer", {"to": "sthj", "reason": reason}
    )
    assert refused.status_code == 400, "the ticket's page again, not a JSON error"
    page = refused.text
    assert "转办理由最多 1000 字（现有 1200 字），请精简后再提交" in page
    # What the officer typed is still in the form, to shorten rather than retype.
    kept = page.split('name="reason"')[1].split("</textarea>")[0]
    assert kept.endswith(">" + reason.replace("<", "&lt;").replace(">", "&gt;"))
    assert '<option value="sthj" selected>' in page
    assert newest_ticket(runtime).department_id == ticket.department_id
    assert transfers_of(runtime, ticket.id) == []


def test_an_over_long_reply_is_refused_on_the_page_with_the_text_kept(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    citizen, ticket = handed_over(served)
    duty = signed_in("duty-zfb")
    text = "您好，关于您反映的问题：" + "具体情况如下。" * 600
    refused = duty.submit(f"/console/tickets/{ticket.id}/reply", {"text": text})
    assert refused.status_code == 400, "the ticket's page again, not a JSON error"
    assert refused.headers["content-type"].startswith("text/html")
    assert f"答复最多 4000 字（现有 {len(text)} 字），请精简或分条答复后再发送" in refused.text
    kept = refused.text.split('name="text"')[1].split("</textarea>")[0]
    assert kept.endswith(">" + text)
    polled = httpx.get(
        f"{base_url}/api/chat/messages", params={"account": "yunxi-fabu-web", "session": citizen}
    ).json()["messages"]
    assert polled == [], "nothing reached the citizen"
    assert newest_ticket(runtime).status is TicketStatus.OPEN


def test_a_ticket_opened_by_the_rate_limit_is_labelled_as_such(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    citizen = uuid.uuid4().hex
    for n in range(runtime.settings.pipeline.rate_limit_per_minute + 1):
        chat = {"text": f"你好{n}", "session": citizen}
        reply = httpx.post(f"{base_url}/api/chat", json=chat, timeout=30).json()["reply"]
    assert reply["text"] == RATE_LIMITED
    ticket = newest_ticket(runtime)
    admin = signed_in("admin")
    page = admin.get(f"/console/tickets/{ticket.id}").text
    assert f"工单 #{ticket.id} · 发送过快未自动答复" in page
    assert "知识库未覆盖" not in page
    assert "（网站）" in page and "（web）" not in page, "the channel in Chinese"
    assert "发送过快未自动答复" in admin.get("/console/tickets").text
