"""Dashboards count per department; charts are inline SVG; the weekly report is for supervisors."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import httpx
from sqlalchemy import select

from bot.runtime import Runtime
from knowledge_base.models import Conversation, Direction, Message
from tests.bot.console.console_client import ConsoleClient


def ask(base_url: str, text: str, account: str) -> None:
    body = {"text": text, "account": account, "session": uuid.uuid4().hex}
    assert httpx.post(f"{base_url}/api/chat", json=body, timeout=30).status_code == 200


def card(html: str, label: str) -> str:
    found = re.search(rf'<div class="muted">{label}</div><div class="value">([^<]*)</div>', html)
    assert found is not None, label
    return found.group(1)


def test_each_department_sees_its_own_figures_and_the_county_sees_all(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url = served[0]
    ask(base_url, "身份证丢了怎么补办", "yunxi-gongan-web")
    ask(base_url, "宠物狗怎么办证", "yunxi-gongan-web")
    ask(base_url, "社保卡丢了怎么补办", "yunxi-fabu-web")

    police = signed_in("editor-gaj").get("/console/dashboard").text
    assert card(police, "群众留言") == "2"
    assert card(police, "智能答复率") == "50%"
    assert "仅显示云溪县公安局的数据" in police and "各部门情况" not in police
    assert police.count('<svg class="chart"') == 4
    assert "<script" not in police

    county = signed_in("supervisor").get("/console/dashboard").text
    assert card(county, "群众留言") == "3"
    assert "各部门情况" in county
    other = signed_in("editor-gaj").get("/console/dashboard", params={"department": "1"}).text
    assert card(other, "群众留言") == "2", "a department user cannot widen the scope"


def test_the_weekly_report_is_printable_and_for_the_supervising_office(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    report = signed_in("supervisor").get("/console/report")
    assert report.status_code == 200
    assert "政务新媒体每周检查调度报告" in report.text and "文字摘要" in report.text
    assert signed_in("duty-zfb").get("/console/report").status_code == 403


def test_the_report_and_the_dashboard_show_the_same_figures_for_the_same_week(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    ask(base_url, "身份证丢了怎么补办", "yunxi-gongan-web")
    ask(base_url, "我想问一下火星上怎么办理签证", "yunxi-gongan-web")
    # A staff reply is not the bot's: it counts in neither side of 智能答复率.
    with runtime.database.session() as session:
        conversation = session.scalars(select(Conversation)).first()
        assert conversation is not None
        session.add(
            Message(
                conversation_id=conversation.id,
                direction=Direction.OUT,
                text="您好，已为您转交经办人。",
                decision="staff",
            )
        )
    supervisor = signed_in("supervisor")
    today = runtime.clock.today()
    dashboard = supervisor.get("/console/dashboard", params={"days": 7}).text
    report = supervisor.get("/console/report", params={"week_end": today.isoformat()}).text
    for label in ("群众留言", "智能答复率", "新增人工工单", "首次答复用时中位数"):
        assert card(dashboard, label) == card(report, label), label
    assert card(dashboard, "当前超期工单") == card(report, "其中超期")
    # The text pushed to the supervising office says the same rate.
    assert f"智能答复率 {card(report, '智能答复率')}。" in report
    # And the rate is the bot's answers over the bot's replies, staff replies left out.
    with runtime.database.session() as session:
        bot_replies = session.scalars(
            select(Message.decision).where(
                Message.direction == Direction.OUT,
                Message.decision.is_not(None),
                Message.decision != "staff",
            )
        ).all()
    expected = bot_replies.count("answer") / len(bot_replies)
    assert card(dashboard, "智能答复率") == f"{expected:.0%}"
