"""Pushes answered inside WeChat's 5-second window, in plain, compatible and safe mode."""

from __future__ import annotations

import httpx

from handlers.texts import MEDIA
from tests.bot.channels.wechat.official_accounts import COMPATIBLE, PLAIN, SAFE
from tests.bot.channels.wechat.pushes import (
    decrypt_reply,
    encrypted_push,
    new_openid,
    push_xml,
    reply_fields,
    signed_query,
)
from tests.bot.channels.wechat.served_app import Served

QUESTION = "社保卡丢了怎么补办"


async def test_a_question_gets_the_knowledge_base_answer_as_passive_reply(
    served: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    response = await http.post(
        f"{served.base_url}/wechat/{PLAIN.code}",
        params=signed_query(PLAIN.token, openid=openid),
        content=xml.encode(),
    )
    assert response.status_code == 200
    reply = reply_fields(response.text)
    assert reply["MsgType"] == "text"
    assert reply["Content"] == served.answer("SB-0001")
    assert "补卡工本费20元" in reply["Content"]
    # From the official account to the citizen who asked.
    assert reply["ToUserName"] == openid and reply["FromUserName"] == PLAIN.official_id
    assert served.incoming_count(openid) == 1


async def test_safe_mode_reply_is_encrypted_and_decrypts_to_the_answer(
    served: Served, http: httpx.AsyncClient
) -> None:
    openid = new_openid()
    xml = push_xml("text", official_id=SAFE.official_id, openid=openid, content=QUESTION)
    query, body = encrypted_push(xml, SAFE, openid=openid)
    response = await http.post(f"{served.base_url}/wechat/{SAFE.code}", params=query, content=body)
    assert response.status_code == 200
    assert "补卡" not in response.text  # nothing readable on the wire
    plain = decrypt_reply(response.text, SAFE)
    assert reply_fields(plain)["Content"] == served.answer("SB-0001")
    assert reply_fields(plain)["ToUserName"] == openid


async def test_compatible_mode_answers_in_the_form_it_was_asked(
    served: Served, http: httpx.AsyncClient
) -> None:
    url = f"{served.base_url}/wechat/{COMPATIBLE.code}"
    openid = new_openid()
    xml = push_xml("text", official_id=COMPATIBLE.official_id, openid=openid, content=QUESTION)
    query, body = encrypted_push(xml, COMPATIBLE, openid=openid)
    sealed = await http.post(url, params=query, content=body)
    plain = decrypt_reply(sealed.text, COMPATIBLE)
    assert reply_fields(plain)["Content"] == served.answer("SB-0001")

    xml = push_xml("text", official_id=COMPATIBLE.official_id, openid=openid, content=QUESTION)
    open_reply = await http.post(url, params=signed_query(COMPATIBLE.token), content=xml)
    assert reply_fields(open_reply.text)["Content"] == served.answer("SB-0001")


async def test_a_new_follower_gets_the_welcome(served: Served, http: httpx.AsyncClient) -> None:
    openid = new_openid()
    xml = push_xml("subscribe", official_id=PLAIN.official_id, openid=openid)
    response = await http.post(
        f"{served.base_url}/wechat/{PLAIN.code}", params=signed_query(PLAIN.token), content=xml
    )
    assert response.status_code == 200
    assert "欢迎关注云溪发布" in reply_fields(response.text)["Content"]


async def test_image_voice_and_location_get_a_polite_request_for_text(
    served: Served, http: httpx.AsyncClient
) -> None:
    for kind in ("image", "voice", "location"):
        openid = new_openid()
        xml = push_xml(kind, official_id=PLAIN.official_id, openid=openid)
        response = await http.post(
            f"{served.base_url}/wechat/{PLAIN.code}", params=signed_query(PLAIN.token), content=xml
        )
        assert response.status_code == 200, kind
        reply = reply_fields(response.text)["Content"]
        assert reply == MEDIA and "请用文字描述您的问题" in reply, kind
        assert served.incoming_count(openid) == 1


async def test_unfollow_and_menu_clicks_are_acknowledged_without_a_message(
    served: Served, http: httpx.AsyncClient
) -> None:
    before = served.message_count()
    for event in ("unsubscribe", "menu_click"):
        xml = push_xml(event, official_id=PLAIN.official_id, openid=new_openid())
        response = await http.post(
            f"{served.base_url}/wechat/{PLAIN.code}", params=signed_query(PLAIN.token), content=xml
        )
        assert response.status_code == 200
        assert response.text == "success"
    assert served.message_count() == before
