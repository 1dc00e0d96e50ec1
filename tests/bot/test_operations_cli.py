"""Duty-office work from the command line: roster, posts, tickets and alerts."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_runtime
from bot.settings import Settings
from handlers.messages import IncomingMessage
from knowledge_base.db import Database
from knowledge_base.models import Account, Alert, AlertStatus, DutyShift, Staff, Ticket
from tests.conftest import CliResult

Govbot = Callable[..., CliResult]
ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "roster"


def test_roster_import_is_all_or_nothing(govbot: Govbot, db: Database) -> None:
    assert govbot("init", "-u", "admin").code == 0
    bad = govbot("roster", "import", str(ROSTER / "bad.csv"), "-u", "office")
    assert bad.code == 1 and "第 4 行" in bad.err
    assert "第 3 行：date：不是有效日期（应为 YYYY-MM-DD）" in bad.err, "Chinese, not pydantic's"
    good = govbot("roster", "import", str(ROSTER / "week.csv"), "-u", "office")
    assert good.code == 0 and "3 人次" in good.out
    with db.session() as session:
        assert len(list(session.scalars(select(DutyShift)))) == 3


def test_posts_move_the_last_post_time_and_are_recorded_once(govbot: Govbot, db: Database) -> None:
    govbot("init", "-u", "admin")
    args = (
        "accounts",
        "post",
        "yunxi-jiaotong-wechat",
        "--at",
        "2026-11-21T10:00",
        "--title",
        "路况通报",
    )
    assert "已记录" in govbot(*args, "-u", "editor").out
    assert "已记录过" in govbot(*args, "-u", "editor").out
    with db.session() as session:
        account = session.scalars(
            select(Account).where(Account.code == "yunxi-jiaotong-wechat")
        ).one()
        assert account.last_post_at is not None and account.last_post_at.isoformat().startswith(
            "2026-11-21T02:00"
        )


def test_tickets_from_the_command_line(govbot: Govbot, db: Database) -> None:
    govbot("init", "-u", "admin")
    runtime = build_runtime(Settings(database_url=str(db.url)), database=db)

    async def ask_for_human() -> int | None:  # a citizen asks for a human on the web chat
        await runtime.knowledge.refresh_async()
        turn = await runtime.handle(
            IncomingMessage(channel="web", account="yunxi-fabu-web", citizen_id="c1", text="转人工")
        )
        return turn.ticket_id

    ticket_id = asyncio.run(ask_for_human())
    assert ticket_id is not None
    listed = govbot("tickets", "list")
    assert str(ticket_id) in listed.out and "转人工" in listed.out
    assert "待受理" in listed.out and "群众要求人工" in listed.out, "labels, not raw values"
    assert "human_request" not in listed.out and "open" not in listed.out
    assert govbot("tickets", "ack", str(ticket_id), "-u", "李值班").code == 0
    replied = govbot("tickets", "reply", str(ticket_id), "您好，已为您处理。", "-u", "李值班")
    assert replied.code == 0, replied.err
    assert "已送达群众" in replied.out
    shown = govbot("tickets", "show", str(ticket_id))
    assert "工作人员 李值班：您好，已为您处理。" in shown.out and "staff:" not in shown.out
    assert "群众：转人工" in shown.out and "智能助手：" in shown.out
    assert f"工单 #{ticket_id}  已答复" in shown.out and "网站" in shown.out
    # The API's limit on a transfer reason holds here too, said in Chinese.
    reason = "噪" * 1001
    wordy = govbot(
        "tickets", "transfer", str(ticket_id), "--to", "sthj", "--reason", reason, "-u", "李值班"
    )
    assert wordy.code == 1 and "转办理由最多 1000 字（现有 1001 字）" in wordy.err
    with db.session() as session:
        assert session.get(Ticket, ticket_id).department.code != "sthj"  # type: ignore[union-attr]
    assert govbot("tickets", "close", str(ticket_id), "-u", "李值班").code == 0
    with db.session() as session:
        assert session.get(Ticket, ticket_id).status.value == "closed"  # type: ignore[union-attr]
    scan = govbot("alerts", "scan")
    assert scan.code == 0 and set(json.loads(scan.out)) == {"planned", "new", "ms"}


def test_listings_name_platforms_statuses_roles_and_alerts_in_chinese(
    govbot: Govbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    govbot("init", "-u", "admin")
    accounts = govbot("accounts", "list").out
    assert "微信公众号" in accounts and "网站" in accounts and "正常" in accounts
    assert "wechat_official" not in accounts and "active" not in accounts
    staff = govbot("staff", "list").out
    assert "│ 值班人员 │" in staff and "│ duty " not in staff
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-passphrase\n"))
    added = govbot("users", "add", "shen", "--role", "reviewer", "--password-stdin")
    assert added.code == 0, added.err
    users = govbot("users", "list").out
    assert "│ 审核人 " in users and "reviewer" not in users
    with db.session() as session:
        person = session.scalars(select(Staff).order_by(Staff.id)).first()
        assert person is not None
        session.add(
            Alert(
                rule="overdue",
                firing="overdue:1:2026-11-23",
                staff_id=person.id,
                notifier="email",
                subject="已超期：工单 #1",
                body="请立即处理。",
                status=AlertStatus.FAILED,
            )
        )
        # Someone no configured notifier reaches still gets a row, shown as such.
        session.add(
            Alert(
                rule="overdue",
                firing="overdue:2:2026-11-23",
                staff_id=person.id,
                notifier="unreachable",
                subject="已超期：工单 #2",
                body="请立即处理。",
            )
        )
        session.add(
            Alert(
                rule="overdue",
                firing="overdue:3:2026-11-23",
                staff_id=person.id,
                notifier="wecom_robot:zfb",
                subject="已超期：工单 #3",
                body="请立即处理。",
            )
        )
    alerts = govbot("alerts", "list").out
    assert "工单已超期" in alerts and "发送失败" in alerts
    assert "│ overdue " not in alerts and "failed" not in alerts
    assert "邮件" in alerts and "无可用联系方式" in alerts
    assert "企业微信群机器人（zfb）" in alerts
    assert "email" not in alerts and "unreachable" not in alerts and "wecom" not in alerts


def test_an_impossible_date_is_refused_and_scans_keep_working(govbot: Govbot) -> None:
    govbot("init", "-u", "admin")
    for args in (
        ("suspend", "yunxi-jiaotong-wechat", "--reason", "整改", "--on", "2206-01-01"),
        ("close", "yunxi-jiaotong-wechat", "--reason", "撤并", "--on", "1899-12-31"),
        ("post", "yunxi-jiaotong-wechat", "--at", "2206-01-01T09:00"),
    ):
        refused = govbot("accounts", *args, "-u", "ed")
        assert refused.code == 1 and refused.err.startswith("错误：")
        assert "超出支持范围" in refused.err and len(refused.err.strip().splitlines()) == 1
    scan = govbot("alerts", "scan")
    assert scan.code == 0, scan.err
