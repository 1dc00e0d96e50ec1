"""Voice messages with WeChat's speech recognition (接收语音识别结果) are answered as text."""

from __future__ import annotations

import httpx

from handlers.texts import MEDIA
from tests.bot.channels.wechat.official_accounts import PLAIN
from tests.bot.channels.wechat.pushes import new_openid, push_xml, reply_fields, signed_query
from tests.bot.channels.wechat.served_app import Served


async def _push(served: Served, http: httpx.AsyncClient, recognition: str) -> str:
    openid = new_openid()
    xml = push_xml(
        "voice_recognized", official_id=PLAIN.official_id, openid=openid, recognition=recognition
    )
    response = await http.post(
        f"{served.base_url}/wechat/{PLAIN.code}", params=signed_query(PLAIN.token), content=xml
    )
    assert response.status_code == 200
    assert served.incoming_count(openid) == 1
    return reply_fields(response.text)["Content"]


async def test_a_recognised_voice_question_gets_the_text_answer(
    served: Served, http: httpx.AsyncClient
) -> None:
    # WeChat's recogniser ends sentences with a full stop, as it does in real pushes.
    assert await _push(served, http, "社保卡丢了怎么补办。") == served.answer("SB-0001")


async def test_a_voice_message_nothing_was_recognised_in_asks_for_text(
    served: Served, http: httpx.AsyncClient
) -> None:
    assert await _push(served, http, "") == MEDIA
