"""The WeCom group robot notifier (httpx) against the loopback WeCom stand-in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import SecretStr

from handlers.alerts.notifiers.base import AlertMessage, NotifierError, Recipient
from handlers.alerts.notifiers.wecom_robot import WeComRobotNotifier
from tests.fakes.wecom_api import FakeWeComApi, RobotPost, running_wecom_api
from tests.live_server import free_port

KEY = "robot-KEY-693a91f6"
STAFF = Recipient(staff_id=1, name="王芳", wecom_user_id="WangFang")
ALERT = AlertMessage(
    subject="账号更新提醒", body="“云和教育”已 13 天未更新，满 15 天将被列为僵尸账号。"
)


@pytest.fixture
def wecom() -> Iterator[tuple[str, FakeWeComApi]]:
    with running_wecom_api("ww0123456789abcdef", {}, set(), {KEY}) as served:
        yield served


def webhook(base_url: str, key: str = KEY) -> SecretStr:
    return SecretStr(f"{base_url}webhook/send?key={key}")


@pytest.fixture
async def robot(wecom: tuple[str, FakeWeComApi]) -> AsyncIterator[WeComRobotNotifier]:
    robot = WeComRobotNotifier("jyj", webhook(wecom[0]))
    yield robot
    await robot.close()


async def test_the_group_gets_the_alert_mentioning_the_staff_member(
    wecom: tuple[str, FakeWeComApi], robot: WeComRobotNotifier
) -> None:
    _, api = wecom

    assert await robot.send(STAFF, ALERT) == ""  # robots get no message id

    text = f"{ALERT.subject}\n\n{ALERT.body}"
    assert api.robot_posts == [RobotPost(KEY, text, ["WangFang"])]


async def test_staff_without_a_wecom_userid_are_alerted_without_a_mention(
    wecom: tuple[str, FakeWeComApi], robot: WeComRobotNotifier
) -> None:
    _, api = wecom
    no_wecom = Recipient(staff_id=2, name="李强", email="liqiang@yunhe.gov.cn")

    assert robot.reaches(no_wecom)
    await robot.send(no_wecom, ALERT)

    [post] = api.robot_posts
    assert post.mentioned_list == []


async def test_an_unknown_robot_key_is_reported_with_wecoms_errcode(
    wecom: tuple[str, FakeWeComApi],
) -> None:
    robot = WeComRobotNotifier("jyj", webhook(wecom[0], key="revoked"))

    with pytest.raises(NotifierError) as raised:
        await robot.send(STAFF, ALERT)
    await robot.close()

    assert "93000" in str(raised.value)
    assert "revoked" not in str(raised.value)


@pytest.mark.parametrize("status", [None, 503], ids=["system-busy", "unavailable"])
async def test_a_busy_or_failing_wecom_is_retried(
    wecom: tuple[str, FakeWeComApi], robot: WeComRobotNotifier, status: int | None
) -> None:
    _, api = wecom
    api.fail_next(1, status=status)

    with pytest.raises(NotifierError) as raised:
        await robot.send(STAFF, ALERT)

    assert raised.value.retry is True
    await robot.send(STAFF, ALERT)
    assert len(api.robot_posts) == 1


async def test_an_unreachable_wecom_is_retried() -> None:
    robot = WeComRobotNotifier("jyj", webhook(f"http://127.0.0.1:{free_port()}/cgi-bin/"))

    with pytest.raises(NotifierError) as raised:
        await robot.send(STAFF, ALERT)
    await robot.close()

    assert raised.value.retry is True
    assert KEY not in str(raised.value)


async def test_request_logs_hide_the_webhook_key(
    robot: WeComRobotNotifier, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")

    await robot.send(STAFF, ALERT)

    assert "webhook/send?key=***" in caplog.text
    assert KEY not in caplog.text


def test_each_department_robot_has_its_own_name(robot: WeComRobotNotifier) -> None:
    assert robot.name == "wecom_robot:jyj"
    assert robot.department_code == "jyj"


async def test_a_long_digest_is_split_in_order_and_nothing_is_dropped(
    wecom: tuple[str, FakeWeComApi], robot: WeComRobotNotifier
) -> None:
    _, api = wecom
    lines = [
        f"{i:03d}. 云溪县某部门账号“云溪某某发布”本周更新 {i} 条，留言答复率 98%。"
        for i in range(119)
    ]
    await robot.send(STAFF, AlertMessage(subject="每日简报", body="\n".join(lines)))

    posts = api.robot_posts
    assert len(posts) > 1
    assert all(len(p.content.encode("utf-8")) <= 2048 for p in posts)
    assert [p.mentioned_list for p in posts] == [["WangFang"]] + [[]] * (len(posts) - 1)
    text = "\n".join(p.content for p in posts)
    assert "…" not in text
    positions = [text.index(line) for line in lines]  # every line, whole and in order
    assert positions == sorted(positions)
    assert all(
        p.content.startswith(f"（{i}/{len(posts)}）") for i, p in enumerate(posts, 1) if i > 1
    )
