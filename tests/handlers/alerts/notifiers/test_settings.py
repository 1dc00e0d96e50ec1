"""Notifier settings and `build_notifiers`: what gets built, and each department's own robot."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from handlers.alerts.notifiers.base import AlertMessage, Recipient
from handlers.alerts.notifiers.settings import NotifierSettings, build_notifiers
from tests.fakes.wecom_api import running_wecom_api

FULL = {
    "telegram": {"token": "7001:duty-bot-SECRET"},
    "wecom_app": {"corp_id": "ww0123456789abcdef", "secret": "app-SECRET", "agent_id": 1000002},
    "wecom_robots": {
        "jyj": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=jyj-SECRET",
        "rsj": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=rsj-SECRET",
    },
    "email": {"host": "smtp.yunhe.gov.cn", "port": 587, "sender": "duty@yunhe.gov.cn",
              "username": "duty@yunhe.gov.cn", "password": "mail-SECRET", "starttls": True},
}  # fmt: skip


async def test_every_configured_medium_gets_a_notifier_and_each_department_its_robot() -> None:
    notifiers = build_notifiers(NotifierSettings.model_validate(FULL))

    assert [n.name for n in notifiers.personal] == ["telegram", "wecom_app", "email"]
    assert {code: r.name for code, r in notifiers.group_robots.items()} == {
        "jyj": "wecom_robot:jyj",
        "rsj": "wecom_robot:rsj",
    }
    assert set(notifiers.by_name()) == {
        "telegram", "wecom_app", "email", "wecom_robot:jyj", "wecom_robot:rsj",
    }  # fmt: skip
    await notifiers.close()


async def test_nothing_configured_builds_nothing() -> None:
    notifiers = build_notifiers(NotifierSettings())

    assert notifiers.personal == ()
    assert notifiers.by_name() == {}


def test_secrets_do_not_show_when_settings_are_printed() -> None:
    shown = repr(NotifierSettings.model_validate(FULL))

    assert "SECRET" not in shown


@pytest.mark.parametrize(
    "bad",
    [
        {"emial": {"host": "smtp.yunhe.gov.cn", "sender": "duty@yunhe.gov.cn"}},
        {"wecom_robots": {"jyj": "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}},
        {"wecom_app": {"corp_id": "ww01", "secret": "s"}},
    ],
    ids=["misspelt-section", "webhook-not-a-url", "missing-agent-id"],
)
def test_a_mistaken_setting_fails_loudly(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        NotifierSettings.model_validate(bad)


async def test_an_alert_reaches_the_group_of_its_own_department() -> None:
    with running_wecom_api("ww01", {}, set(), {"jyj-key", "rsj-key"}) as (base_url, api):
        robots = {code: f"{base_url}webhook/send?key={code}-key" for code in ("jyj", "rsj")}
        settings = NotifierSettings.model_validate({"wecom_robots": robots})
        notifiers = build_notifiers(settings)
        staff = Recipient(staff_id=1, name="张伟", wecom_user_id="ZhangWei")

        await notifiers.group_robots["rsj"].send(staff, AlertMessage("社保咨询待回复", "请处理。"))
        await notifiers.close()

    assert [(p.key, p.mentioned_list) for p in api.robot_posts] == [("rsj-key", ["ZhangWei"])]
