"""WeChat's server-address check (服务器配置) and which accounts the endpoint serves."""

from __future__ import annotations

import httpx

from tests.bot.channels.wechat.official_accounts import PLAIN, SAFE
from tests.bot.channels.wechat.pushes import new_openid, push_xml, signed_query
from tests.bot.channels.wechat.served_app import Served


async def test_a_correct_signature_gets_echostr_back(
    served: Served, http: httpx.AsyncClient
) -> None:
    for account in (PLAIN, SAFE):
        query = signed_query(account.token, echostr="5839627031934511213")
        response = await http.get(f"{served.base_url}/wechat/{account.code}", params=query)
        assert response.status_code == 200
        assert response.text == "5839627031934511213"


async def test_a_wrong_signature_is_403_without_echostr(
    served: Served, http: httpx.AsyncClient
) -> None:
    query = signed_query("not-the-token", echostr="5839627031934511213")
    response = await http.get(f"{served.base_url}/wechat/{PLAIN.code}", params=query)
    assert response.status_code == 403
    assert "5839627031934511213" not in response.text
    unsigned = await http.get(f"{served.base_url}/wechat/{PLAIN.code}", params={"echostr": "1"})
    assert unsigned.status_code == 403


async def test_unknown_or_unconfigured_accounts_are_404(
    served: Served, http: httpx.AsyncClient
) -> None:
    # Not in the registry at all, and in the registry but without WeChat credentials.
    for code in ("no-such-account", "yunxi-yibao-wechat"):
        url = f"{served.base_url}/wechat/{code}"
        query = signed_query(PLAIN.token, echostr="1")
        assert (await http.get(url, params=query)).status_code == 404
        xml = push_xml("text", official_id=PLAIN.official_id, openid=new_openid(), content="你好")
        posted = await http.post(url, params=signed_query(PLAIN.token), content=xml)
        assert posted.status_code == 404
