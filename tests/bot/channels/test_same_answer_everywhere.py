"""口径一致: every sample entry's question gets the same reply text on web, WeChat, Telegram and
Weibo private messages."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import httpx
import yaml
from pydantic import SecretStr

from bot.channels.telegram.settings import TelegramAccountSettings, TelegramSettings
from bot.channels.wechat.settings import WeChatAccountSettings, WeChatSettings
from tests.bot.channels.wechat.pushes import new_openid, push_xml, reply_fields, signed_query
from tests.bot.channels.weibo import pushes as weibo_pushes
from tests.bot.channels.weibo.conftest import weibo_settings
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.wechat_api import running_wechat_api
from tests.fakes.weibo_api import running_weibo_api
from tests.live_server import served_county

ENTRIES = Path(__file__).resolve().parents[3] / "config" / "sample_county" / "entries.yaml"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "telegram"
TOKEN, SECRET, WECHAT_TOKEN = "424242:county-bot", "telegram-webhook-secret", "wechat-token"


def test_every_sample_question_gets_identical_text_on_every_channel(tmp_path: Path) -> None:
    questions = [entry["question"] for entry in yaml.safe_load(ENTRIES.read_text(encoding="utf-8"))]
    wechat_account = WeChatAccountSettings(
        app_id="wx0fab0000000001", app_secret=SecretStr("secret"), token=SecretStr(WECHAT_TOKEN)
    )
    update = json.loads((FIXTURES / "text.json").read_text(encoding="utf-8"))
    chats = itertools.count(9_000_001)
    with (
        running_wechat_api({"wx0fab0000000001": "secret"}) as (wechat_api, _),
        FakeTelegramApi([TOKEN]).running() as telegram,
        running_weibo_api({weibo_pushes.TOKEN: weibo_pushes.UID}) as (weibo_api, _),
    ):
        settings = {
            "wechat": WeChatSettings(
                accounts={"yunxi-fabu-wechat": wechat_account}, api_base_url=wechat_api
            ),
            "telegram": TelegramSettings(
                base_url=telegram.base_url,
                accounts={
                    "yunxi-fabu-telegram": TelegramAccountSettings(
                        token=SecretStr(TOKEN), webhook_secret=SecretStr(SECRET)
                    )
                },
            ),
            "weibo": weibo_settings(weibo_api),
        }
        with (
            served_county(tmp_path, **settings) as (url, _),
            httpx.Client(base_url=url, timeout=20) as http,
        ):
            for n, question in enumerate(questions):
                web = http.post(
                    "/api/chat", json={"text": question, "account": "yunxi-fabu-web"}
                ).json()["reply"]["text"]

                openid = new_openid()
                xml = push_xml("text", official_id="gh_yunxi", openid=openid, content=question)
                response = http.post(
                    "/wechat/yunxi-fabu-wechat",
                    params=signed_query(WECHAT_TOKEN, openid=openid),
                    content=xml.encode(),
                )
                wechat = reply_fields(response.text)["Content"]

                chat = next(chats)
                update["update_id"] = 800_000_000 + n
                update["message"].update(text=question, message_id=n + 1)
                update["message"]["chat"]["id"] = update["message"]["from"]["id"] = chat
                hook = http.post(
                    "/telegram/yunxi-fabu-telegram",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert hook.status_code == 200
                [sent] = telegram.sent_to(chat)

                sender = weibo_pushes.new_uid()
                weibo_push = weibo_pushes.push("text", sender=sender, text=question)
                weibo_response = http.post(
                    f"/weibo/{weibo_pushes.ACCOUNT}",
                    params=weibo_pushes.signed_query(),
                    content=json.dumps(weibo_push, ensure_ascii=False).encode(),
                )
                weibo = weibo_pushes.reply_text(weibo_response.json())

                assert web == wechat == sent.text == weibo, question
    assert len(questions) >= 60
