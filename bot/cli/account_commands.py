"""`govbot accounts …`: the registry of government new-media accounts and their filings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.state import STATE, default_user, fail
from bot.console.account_matrix import PLATFORM_NAMES, STATUS_NAMES
from knowledge_base.accounts import (
    FILING_ACTION_NAMES,
    NameMismatch,
    add_account,
    change_account,
    close_account,
    list_accounts,
    mark_filed,
    name_mismatches,
    resume_account,
    suspend_account,
)
from knowledge_base.activity import PostRow, import_posts, record_post

app = typer.Typer(help="政务新媒体账号：开设、变更、暂停、注销、备案。", no_args_is_help=True)
console = Console()

User = Annotated[
    str, typer.Option("--user", "-u", help="操作人（记入审计日志）", default_factory=default_user)
]
On = Annotated[
    datetime | None, typer.Option("--on", formats=["%Y-%m-%d"], help="发生日期，默认今天")
]


def _day(value: datetime | None) -> date:
    """The date typed, or the county's today (never the server's)."""
    return value.date() if value else STATE.context.clock.today()


def _names(mismatch: NameMismatch) -> str:
    """A unit's account names, each with the platforms using it."""
    return "；".join(
        f"{name}（{'、'.join(PLATFORM_NAMES[p] for p in platforms)}）"
        for name, platforms in mismatch.names.items()
    )


@app.command("list")
def list_command(
    all_: Annotated[bool, typer.Option("--all", help="包括已注销账号")] = False,
) -> None:
    """List accounts: owner unit, status, last post, pending filings; report name mismatches."""
    clock = STATE.context.clock
    with STATE.context.database.session() as session:
        table = Table("编号", "平台", "名称", "主办单位", "状态", "最近更新", "待备案")
        for a in list_accounts(session, include_closed=all_):
            pending = sum(1 for f in a.filings if f.filed_on is None)
            table.add_row(
                a.code,
                PLATFORM_NAMES[a.platform],
                a.name,
                a.department.name,
                STATUS_NAMES[a.status.value],
                clock.show(a.last_post_at, "%Y-%m-%d") if a.last_post_at else "-",
                str(pending) if pending else "",
            )
        mismatches = name_mismatches(session)
    console.print(table)
    for m in mismatches:
        print(f"注意：{m.department} 的账号在各平台名称不一致：{_names(m)}")


@app.command("check")
def check_command() -> None:
    """Exit non-zero when a unit's accounts are named differently across platforms."""
    with STATE.context.database.session() as session:
        mismatches = name_mismatches(session)
    for m in mismatches:
        print(f"{m.department}：{_names(m)}")
    if mismatches:
        fail(f"{len(mismatches)} 个单位的账号名称不一致")
    print("各单位账号名称一致")


@app.command("add")
def add_command(
    code: str,
    user: User,
    platform: Annotated[str, typer.Option(help="wechat_official、weibo、douyin 等")],
    name: Annotated[str, typer.Option(help="账号名称")],
    department: Annotated[str, typer.Option(help="主办单位名称或编号")],
    on: On = None,
) -> None:
    """Register a newly opened account (a filing record is created)."""
    with STATE.context.database.session() as session:
        add_account(
            session,
            code=code,
            platform=platform,
            name=name,
            department=department,
            actor=user,
            opened_on=_day(on),
        )
    print(f"已登记账号 {name}（{code}），请在 3 个工作日内完成备案")


@app.command("change")
def change_command(
    code: str,
    user: User,
    name: Annotated[str | None, typer.Option(help="新名称")] = None,
    department: Annotated[str | None, typer.Option(help="新主办单位")] = None,
    on: On = None,
) -> None:
    """Rename an account or change its owner unit."""
    with STATE.context.database.session() as session:
        change_account(
            session, code=code, actor=user, on=_day(on), name=name, department=department
        )
    print(f"账号 {code} 已变更，请在 3 个工作日内完成备案")


@app.command("suspend")
def suspend_command(
    code: str, user: User, reason: Annotated[str, typer.Option()], on: On = None
) -> None:
    """Suspend an account's updates."""
    with STATE.context.database.session() as session:
        suspend_account(session, code=code, actor=user, on=_day(on), reason=reason)
    print(f"账号 {code} 已暂停更新，请在 3 个工作日内完成备案")


@app.command("resume")
def resume_command(code: str, user: User, on: On = None) -> None:
    """Resume a suspended account."""
    with STATE.context.database.session() as session:
        resume_account(session, code=code, actor=user, on=_day(on))
    print(f"账号 {code} 已恢复更新，请在 3 个工作日内完成备案")


@app.command("close")
def close_command(
    code: str, user: User, reason: Annotated[str, typer.Option()], on: On = None
) -> None:
    """Close an account."""
    with STATE.context.database.session() as session:
        close_account(session, code=code, actor=user, on=_day(on), reason=reason)
    print(f"账号 {code} 已注销，请在 3 个工作日内完成备案")


@app.command("filed")
def filed_command(filing_id: int, user: User, on: On = None) -> None:
    """Mark a filing record as filed with the supervising office."""
    with STATE.context.database.session() as session:
        mark_filed(session, filing_id=filing_id, actor=user, on=_day(on))
    print(f"备案记录 {filing_id} 已完成")


@app.command("filings")
def filings_command(pending: Annotated[bool, typer.Option("--pending")] = False) -> None:
    """List filing records (备案)."""
    with STATE.context.database.session() as session:
        table = Table("记录", "账号", "事项", "发生日期", "备案日期", "说明")
        for account in list_accounts(session, include_closed=True):
            for f in account.filings:
                if pending and f.filed_on is not None:
                    continue
                table.add_row(
                    str(f.id),
                    account.name,
                    FILING_ACTION_NAMES[f.action.value],
                    f.occurred_on.isoformat(),
                    f.filed_on.isoformat() if f.filed_on else "未备案",
                    f.detail,
                )
    console.print(table)


@app.command("post")
def post_command(
    code: str,
    user: User,
    at: Annotated[
        datetime | None, typer.Option("--at", formats=["%Y-%m-%dT%H:%M"], help="发布时间，默认现在")
    ] = None,
    title: str = "",
    url: str = "",
    major: Annotated[
        bool, typer.Option("--major", help="主账号发布的重要信息，部门账号须转发")
    ] = False,
    forwards: Annotated[str, typer.Option(help="转发的重要信息编号")] = "",
    external_id: Annotated[str, typer.Option("--id", help="信息编号（转发时引用）")] = "",
) -> None:
    """Record that an account published something (keeps zombie detection accurate)."""
    clock = STATE.context.clock
    posted = clock.at(at) if at else clock.now()
    row = PostRow(
        account=code,
        posted_at=posted,
        title=title,
        url=url,
        major=major,
        forwards=forwards,
        external_id=external_id,
    )
    with STATE.context.database.session() as session:
        _, new = record_post(session, row, source="cli", actor=user)
    print(f"已记录账号 {code} 的发布" if new else "该信息已记录过")


@app.command("import-posts")
def import_posts_command(file: Path, user: User) -> None:
    """Import a post log (columns account, posted_at, title, url, major, forwards, external_id)."""
    with STATE.context.database.session() as session:
        report = import_posts(session, path=file, actor=user)
    print(f"共 {report.rows} 条，新记录 {report.new} 条")
