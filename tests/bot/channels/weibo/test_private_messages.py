"""Weibo private messages: the server-address check, signed pushes answered with the knowledge
base's own text, events, retries answered once, the reply API with its length limit and errors."""

from __future__ import annotations

import json
import time

import httpx

from bot.channels.weibo.messages_api import MessagesApi
from handlers.texts import MEDIA
from tests.bot.channels.weibo.conftest import STAFF_TOKEN, Served
from tests.bot.channels.weibo.pushes import (
    ACCOUNT,
    TOKEN,
    UID,
    new_uid,
    push,
    reply_text,
    signed_query,
)
from tests.fakes.weibo_api import FakeWeiboApi

QUESTION = "社保卡丢了怎么补办"


async def send(
    served: Served, http: httpx.AsyncClient, body: dict[str, object], **query: str
) -> httpx.Response:
    params = query or signed_query()
    return await http.post(
        f"{served.base_url}/weibo/{ACCOUNT}",
        params=params,
        content=json.dumps(body, ensure_ascii=False).encode(),
    )


async def test_the_server_address_check_echoes_only_with_the_right_signature(
    served: Served, http: httpx.AsyncClient
) -> None:
    url = f"{served.base_url}/weibo/{ACCOUNT}"
    ok = await http.get(url, params=signed_query(echostr="vIuz5ekD"))
    assert ok.status_code == 200 and ok.text == "vIuz5ekD"
    forged = await http.get(url, params=signed_query("another-secret", echostr="vIuz5ekD"))
    assert forged.status_code == 403 and "vIuz5ekD" not in forged.text
    # A WeChat-only or unknown account has no Weibo endpoint.
    other = await http.get(f"{served.base_url}/weibo/yunxi-fabu-wechat", params=signed_query())
    assert other.status_code == 404


async def test_a_question_gets_the_knowledge_base_answer_as_passive_reply(
    served: Served, http: httpx.AsyncClient
) -> None:
    citizen = new_uid()
    response = await send(served, http, push("text", sender=citizen, text=QUESTION))
    assert response.status_code == 200
    reply = response.json()
    assert reply_text(reply) == served.answer("SB-0001")
    # From the account to the citizen who asked.
    assert str(reply["sender_id"]) == UID and str(reply["receiver_id"]) == citizen
    assert served.incoming_count(citizen) == 1


async def test_forged_stale_and_replayed_signatures_get_403_and_nothing_is_stored(
    served: Served, http: httpx.AsyncClient
) -> None:
    citizen = new_uid()
    body = push("text", sender=citizen, text=QUESTION)
    before = served.message_count()
    forged = await send(served, http, body, **signed_query("guessed-secret"))
    stale_ms = int((time.time() - 3600) * 1000)
    stale = await send(served, http, body, **signed_query(millis=stale_ms))
    unsigned = await http.post(f"{served.base_url}/weibo/{ACCOUNT}", content=b"{}")
    assert [forged.status_code, stale.status_code, unsigned.status_code] == [403, 403, 403]
    query = signed_query()
    first = await send(served, http, body, **query)
    assert first.status_code == 200
    other_body = push("text", sender=citizen, text="另一条消息")
    replayed = await send(served, http, other_body, **query)
    assert replayed.status_code == 403
    assert served.incoming_count(citizen) == 1
    assert served.message_count() == before + 2  # the one admitted question and its answer


async def test_malformed_bodies_get_400_and_store_nothing(
    served: Served, http: httpx.AsyncClient
) -> None:
    before = served.message_count()
    url = f"{served.base_url}/weibo/{ACCOUNT}"
    for body in (b"{not json", b"[1, 2]", b'{"type": "text"}', "\ufffe".encode() * 10, b""):
        response = await http.post(url, params=signed_query(), content=body)
        assert response.status_code == 400, body
    elsewhere = push("text", sender=new_uid(), receiver="1111111111", text=QUESTION)
    assert (await send(served, http, elsewhere)).status_code == 400
    assert served.message_count() == before


async def test_follow_is_welcomed_unfollow_needs_no_answer_and_media_gets_a_hint(
    served: Served, http: httpx.AsyncClient
) -> None:
    citizen = new_uid()
    followed = await send(served, http, push("follow", sender=citizen))
    assert "欢迎" in reply_text(followed.json())
    unfollowed = await send(served, http, push("unfollow", sender=citizen))
    assert unfollowed.status_code == 200 and unfollowed.text == ""
    image = await send(served, http, push("image", sender=citizen))
    assert reply_text(image.json()) == MEDIA


async def test_a_retried_push_is_answered_once(served: Served, http: httpx.AsyncClient) -> None:
    citizen = new_uid()
    body = push("text", sender=citizen, text=QUESTION)
    first = await send(served, http, body)
    assert reply_text(first.json()) == served.answer("SB-0001")
    # Weibo retries when it thinks the first response was lost: the answer is sent once more
    # through the reply API, never a second time after that, and the message is stored once.
    again = await send(served, http, body)
    third = await send(served, http, body)
    assert again.text == "" and third.text == ""
    assert await served.api.wait_for_texts(citizen, 1) == [served.answer("SB-0001")]
    assert served.incoming_count(citizen) == 1


async def test_a_duty_officers_reply_reaches_the_citizen_by_private_message(
    served: Served, http: httpx.AsyncClient
) -> None:
    citizen = new_uid()
    handover = await send(served, http, push("text", sender=citizen, text="转人工"))
    assert "转接人工" in reply_text(handover.json())
    ticket_id = served.open_ticket(citizen)
    staff_text = "您好，我是值班人员，您反映的问题已转交县人社局，明天上午前答复您。"
    answered = await http.post(
        f"{served.base_url}/api/staff/tickets/{ticket_id}/reply",
        json={"text": staff_text, "staff": "陈值班"},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    assert answered.status_code == 200 and answered.json()["delivered"] is True
    assert served.api.texts_to(citizen) == [staff_text]

    served.api.refusals.append(21327)  # the token expired: recorded on the ticket, no crash
    again = await http.post(
        f"{served.base_url}/api/staff/tickets/{ticket_id}/reply",
        json={"text": "补充说明：请带好身份证。", "staff": "陈值班"},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    assert again.status_code == 200 and again.json()["delivered"] is False
    assert "过期" in again.json()["detail"]


async def test_the_reply_api_sends_long_texts_in_parts_and_reports_refusals(
    fake_api: tuple[str, FakeWeiboApi],
) -> None:
    base, api = fake_api
    long_text = "\n".join(f"第{n}条：" + "办理材料包括身份证原件和复印件。" * 5 for n in range(8))
    async with httpx.AsyncClient(timeout=10) as client:
        messages = MessagesApi(client, base, {ACCOUNT: TOKEN})
        citizen = new_uid()
        sent = await messages.send_text(account=ACCOUNT, citizen_id=citizen, text=long_text)
        assert sent.status == "sent"
        parts = api.texts_to(citizen)
        assert len(parts) > 1 and all(len(p) <= 300 for p in parts)
        assert "\n".join(parts) == long_text, "split at line ends, in order, nothing lost"

        api.refusals.append(21327)
        expired = await messages.send_text(account=ACCOUNT, citizen_id=citizen, text="您好")
        assert expired.status == "failed" and not expired.retry and "过期" in expired.detail
        api.refusals.append(10023)
        limited = await messages.send_text(account=ACCOUNT, citizen_id=citizen, text="您好")
        assert limited.status == "failed" and limited.retry
        unreachable = MessagesApi(client, "http://127.0.0.1:9/2/", {ACCOUNT: TOKEN})
        down = await unreachable.send_text(account=ACCOUNT, citizen_id=citizen, text="您好")
        assert down.status == "failed" and down.retry
        assert TOKEN not in down.detail


async def test_odd_but_signed_pushes_get_an_answer_or_a_400_never_a_server_error(
    served: Served, http: httpx.AsyncClient
) -> None:
    citizen = new_uid()
    odd: list[object] = [
        push("text", sender=citizen, text="🙂🙂🙂"),
        push("text", sender=citizen, text="社保卡丟了怎麼補辦"),  # traditional characters
        push("text", sender=citizen, text=""),
        push("text", sender=citizen, text=["not", "a", "string"]),
        push("text", sender=citizen, text="<script>alert(1)</script>" * 50),
        push("text", sender=citizen, type="mention", data=[1, 2]),
        {**push("text", sender=citizen), "sender_id": True},
        {**push("text", sender=citizen), "sender_id": 1.5},
        {**push("text", sender=citizen), "sender_id": "9" * 40},
        {**push("text", sender=citizen), "type": None},
        {**push("text", sender=citizen), "id": {"nested": 1}},
    ]
    for body in odd:
        response = await send(served, http, body)  # type: ignore[arg-type]
        assert response.status_code in (200, 400), (body, response.text)
        if response.status_code == 200 and response.text:
            assert reply_text(response.json())
    # An escaped lone surrogate in a push without an id (the id is then a hash of the push).
    broken = {**push("text", sender=citizen, text="\ud800身份证丢了怎么补办"), "id": None}
    escaped = await http.post(
        f"{served.base_url}/weibo/{ACCOUNT}",
        params=signed_query(),
        content=json.dumps(broken).encode(),  # "\ud800" stays an escape on the wire
    )
    assert escaped.status_code == 200, escaped.text
    too_big = push("text", sender=citizen, text="长" * 70_000)
    assert (await send(served, http, too_big)).status_code in (400, 413)
