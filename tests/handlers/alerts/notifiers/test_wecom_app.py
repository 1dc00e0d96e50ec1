"""The WeCom application notifier (wechatpy) against the loopback WeCom stand-in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from wechatpy.session import SessionStorage

from handlers.alerts.notifiers.base import AlertMessage, NotifierError, Recipient
from handlers.alerts.notifiers.wecom_app import WeComAppNotifier
from tests.fakes.wecom_api import FakeWeComApi, running_wecom_api
from tests.live_server import free_port

CORP = "ww0123456789abcdef"
AGENT = 1000002
SECRET = "app-SECRET-0123456789"
STAFF = Recipient(staff_id=1, name="王芳", wecom_user_id="WangFang")
ALERT = AlertMessage(
    subject="即将超期：工单 17",
    body="市民留言“社保卡补办要多久？”的回复期限为今天 17:00，请尽快处理。",
    ticket_id=17,
)


class DictStorage(SessionStorage):
    """A session storage whose keys the test can see."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


@pytest.fixture
def wecom() -> Iterator[tuple[str, FakeWeComApi]]:
    with running_wecom_api(CORP, {AGENT: SECRET}, {"WangFang"}, set()) as served:
        yield served


@pytest.fixture
async def notifier(wecom: tuple[str, FakeWeComApi]) -> AsyncIterator[WeComAppNotifier]:
    notifier = WeComAppNotifier(CORP, SecretStr(SECRET), AGENT, api_base_url=wecom[0])
    yield notifier
    await notifier.close()


async def test_the_member_gets_the_alert_from_the_app(
    wecom: tuple[str, FakeWeComApi], notifier: WeComAppNotifier
) -> None:
    _, api = wecom

    msgid = await notifier.send(STAFF, ALERT)

    assert api.texts_to("WangFang") == [f"{ALERT.subject}\n\n{ALERT.body}"]
    [message] = api.messages
    assert (message.agent_id, message.msgid) == (AGENT, msgid)


async def test_the_access_token_is_fetched_once_and_reused(
    wecom: tuple[str, FakeWeComApi], notifier: WeComAppNotifier
) -> None:
    _, api = wecom

    await notifier.send(STAFF, ALERT)
    await notifier.send(STAFF, ALERT)

    assert len(api.texts_to("WangFang")) == 2
    assert api.token_fetches == 1


async def test_workers_sharing_a_session_storage_share_the_token(
    wecom: tuple[str, FakeWeComApi],
) -> None:
    base_url, api = wecom
    shared = DictStorage()  # stands in for wechatpy's RedisStorage across hosts
    workers = [
        WeComAppNotifier(CORP, SecretStr(SECRET), AGENT, api_base_url=base_url, session=shared)
        for _ in range(2)
    ]

    for worker in workers:
        await worker.send(STAFF, ALERT)
        await worker.close()

    assert len(api.texts_to("WangFang")) == 2
    assert api.token_fetches == 1
    assert list(shared.values) == [f"wecom_{CORP}_{AGENT}_access_token"]  # no part of the secret


@pytest.mark.parametrize("errcode", [40003, 81013])
async def test_an_unknown_member_is_not_retried(
    wecom: tuple[str, FakeWeComApi], notifier: WeComAppNotifier, errcode: int
) -> None:
    _, api = wecom
    api.unknown_user_errcode = errcode

    with pytest.raises(NotifierError) as raised:
        await notifier.send(Recipient(staff_id=2, name="李强", wecom_user_id="LiQiang"), ALERT)

    assert raised.value.retry is False
    assert str(errcode) in str(raised.value)


@pytest.mark.parametrize(
    "status", [None, 502, 200], ids=["system-busy", "bad-gateway", "proxy-page-without-json"]
)
async def test_a_busy_or_failing_wecom_is_retried_and_then_delivers(
    wecom: tuple[str, FakeWeComApi], notifier: WeComAppNotifier, status: int | None
) -> None:
    _, api = wecom
    api.fail_next(1, status=status)

    with pytest.raises(NotifierError) as raised:
        await notifier.send(STAFF, ALERT)
    assert raised.value.retry is True
    assert api.texts_to("WangFang") == []

    await notifier.send(STAFF, ALERT)
    assert len(api.texts_to("WangFang")) == 1


async def test_a_wrong_secret_is_retried_once_the_setting_is_fixed(
    wecom: tuple[str, FakeWeComApi],
) -> None:
    notifier = WeComAppNotifier(CORP, SecretStr("wrong"), AGENT, api_base_url=wecom[0])

    with pytest.raises(NotifierError) as raised:
        await notifier.send(STAFF, ALERT)
    await notifier.close()

    assert raised.value.retry is True  # a configuration error must not drop the alert


async def test_an_unreachable_wecom_is_retried_and_the_secret_stays_out_of_errors_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    base_url = f"http://127.0.0.1:{free_port()}/cgi-bin/"
    notifier = WeComAppNotifier(CORP, SecretStr(SECRET), AGENT, api_base_url=base_url)

    with pytest.raises(NotifierError) as raised:
        await notifier.send(STAFF, ALERT)
    await notifier.close()

    assert raised.value.retry is True
    assert "corpsecret=***" in str(raised.value)
    assert SECRET not in str(raised.value)
    assert SECRET not in caplog.text


async def test_request_logs_hide_the_secret_and_the_access_token(
    notifier: WeComAppNotifier, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")

    await notifier.send(STAFF, ALERT)

    assert "gettoken?corpid=ww0123456789abcdef&corpsecret=***" in caplog.text
    assert "message/send?access_token=***" in caplog.text
    assert SECRET not in caplog.text
    assert "TOKEN-" not in caplog.text


def test_reaches_only_staff_with_a_wecom_userid(notifier: WeComAppNotifier) -> None:
    assert notifier.reaches(STAFF)
    assert not notifier.reaches(Recipient(staff_id=2, name="李强", email="liqiang@yunhe.gov.cn"))
