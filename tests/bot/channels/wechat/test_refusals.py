"""Pushes that are not from WeChat or not safe to parse: refused, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.bot.channels.wechat.official_accounts import PLAIN, SAFE
from tests.bot.channels.wechat.pushes import encrypted_push, new_openid, push_xml, signed_query
from tests.bot.channels.wechat.served_app import Served

QUESTION = "社保卡丢了怎么补办"


async def test_a_wrong_signature_is_403_and_nothing_is_stored(
    served: Served, http: httpx.AsyncClient
) -> None:
    before = served.message_count()
    openid = new_openid()
    xml = push_xml("text", official_id=PLAIN.official_id, openid=openid, content=QUESTION)
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    forged = await http.post(url, params=signed_query("guessed-token"), content=xml)
    unsigned = await http.post(url, content=xml)
    assert forged.status_code == 403 and unsigned.status_code == 403
    assert "补卡" not in forged.text
    assert served.message_count() == before


async def test_safe_mode_refuses_a_wrong_msg_signature_or_plaintext(
    served: Served, http: httpx.AsyncClient
) -> None:
    before = served.message_count()
    openid = new_openid()
    xml = push_xml("text", official_id=SAFE.official_id, openid=openid, content=QUESTION)
    url = f"{served.base_url}/wechat/{SAFE.code}"
    query, body = encrypted_push(xml, SAFE, openid=openid)
    tampered = await http.post(url, params={**query, "msg_signature": "0" * 40}, content=body)
    # Only timestamp and nonce are signed in plaintext form: a safe account must not accept it.
    plaintext = await http.post(url, params=signed_query(SAFE.token), content=xml)
    assert tampered.status_code == 403 and plaintext.status_code == 403
    assert served.message_count() == before


async def test_malformed_xml_is_400(served: Served, http: httpx.AsyncClient) -> None:
    before = served.message_count()
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    broken = push_xml("malformed", official_id=PLAIN.official_id, openid=new_openid())
    not_a_push = "<xml><Hello>world</Hello></xml>"
    for body in (broken, not_a_push, "社保卡丢了怎么补办", ""):
        response = await http.post(url, params=signed_query(PLAIN.token), content=body.encode())
        assert response.status_code == 400, body
        assert response.json()["error"] == "消息格式不正确"
    assert served.message_count() == before


async def test_entity_expansion_and_external_entities_are_400(
    served: Served, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    before = served.message_count()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    url = f"{served.base_url}/wechat/{PLAIN.code}"
    for name in ("billion_laughs", "external_entity"):
        xml = push_xml(name, official_id=PLAIN.official_id, openid=new_openid(), secret_path=secret)
        response = await http.post(url, params=signed_query(PLAIN.token), content=xml)
        assert response.status_code == 400, name
        assert "TOP-SECRET" not in response.text and "lollol" not in response.text
    assert served.message_count() == before


async def test_entity_tricks_hidden_inside_the_encryption_are_400(
    served: Served, http: httpx.AsyncClient
) -> None:
    before = served.message_count()
    openid = new_openid()
    xml = push_xml("billion_laughs", official_id=SAFE.official_id, openid=openid)
    query, body = encrypted_push(xml, SAFE, openid=openid)
    response = await http.post(f"{served.base_url}/wechat/{SAFE.code}", params=query, content=body)
    assert response.status_code == 400
    assert served.message_count() == before


async def test_a_body_over_64_kb_is_413(served: Served, http: httpx.AsyncClient) -> None:
    before = served.message_count()
    long_text = "社保卡" * 30_000
    xml = push_xml("text", official_id=PLAIN.official_id, openid=new_openid(), content=long_text)
    response = await http.post(
        f"{served.base_url}/wechat/{PLAIN.code}", params=signed_query(PLAIN.token), content=xml
    )
    assert response.status_code == 413
    assert served.message_count() == before
