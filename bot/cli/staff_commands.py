"""`govbot staff …` and `govbot roster import`: who gets alerts, and who is on duty when."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.state import STATE, default_user
from knowledge_base.models import StaffRole
from knowledge_base.staff import (
    STAFF_ROLE_NAMES,
    StaffRow,
    import_roster,
    list_staff,
    upsert_staff,
)

staff_app = typer.Typer(help="值班与提醒人员。", no_args_is_help=True)
roster_app = typer.Typer(help="值班表。", no_args_is_help=True)
console = Console()
User = Annotated[str, typer.Option("--user", "-u", default_factory=default_user)]


@staff_app.command("add")
def add_command(
    code: str,
    user: User,
    department: Annotated[str, typer.Option(help="部门编号或名称")],
    name: Annotated[str, typer.Option(help="姓名")] = "",
    role: Annotated[
        StaffRole,
        typer.Option(help="、".join(f"{r.value} {n}" for r, n in STAFF_ROLE_NAMES.items())),
    ] = StaffRole.DUTY,
    email: str = "",
    telegram: Annotated[str, typer.Option(help="Telegram chat id")] = "",
    wecom: Annotated[str, typer.Option(help="企业微信 userid")] = "",
    phone: str = "",
) -> None:
    """Add a person who receives alerts, or change their details."""
    row = StaffRow(
        code=code,
        department=department,
        name=name,
        role=role,
        email=email,
        telegram_chat_id=telegram,
        wecom_user_id=wecom,
        phone=phone,
    )
    with STATE.context.database.session() as session:
        upsert_staff(session, row, actor=user)
    print(f"已保存人员 {code}")


@staff_app.command("list")
def list_command() -> None:
    """List staff and how alerts reach them."""
    with STATE.context.database.session() as session:
        table = Table("编号", "姓名", "部门", "角色", "邮箱", "Telegram", "企业微信")
        for s in list_staff(session):
            table.add_row(
                s.code,
                s.name,
                s.department.name,
                STAFF_ROLE_NAMES[s.role],
                s.email,
                s.telegram_chat_id,
                s.wecom_user_id,
            )
    console.print(table)


@roster_app.command("import")
def import_command(file: Path, user: User) -> None:
    """Import a duty roster (columns date, department, code[, name, role, phone, email …])."""
    with STATE.context.database.session() as session:
        report = import_roster(session, path=file, actor=user)
    print(f"已导入值班 {report.shifts} 人次，覆盖 {report.days} 天")
