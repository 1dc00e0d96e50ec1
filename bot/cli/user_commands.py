"""`govbot users …`: web-console users (add the first admin, list, disable, enable, password)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.state import STATE, default_user, fail
from bot.console.users import create_user, set_active, set_password
from bot.console.viewer import ROLE_NAMES
from knowledge_base.console_users import list_users

app = typer.Typer(help="管理后台用户：添加、列出、停用、启用、重设密码。", no_args_is_help=True)
console = Console()

User = Annotated[
    str, typer.Option("--user", "-u", help="操作人（记入审计日志）", default_factory=default_user)
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="从标准输入读取密码（一行），用于脚本")
]


def _password(from_stdin: bool) -> str:
    """The new password: one line of standard input when asked or when there is no terminal
    to type it at (a script, a pipe), else typed twice without echo."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("没有读到密码：请在终端中运行本命令，或从标准输入提供密码（一行）")
        return password
    # Asked twice by hand: click's own confirmation speaks English ("Repeat for confirmation").
    password = str(typer.prompt("密码", hide_input=True))
    if str(typer.prompt("再次输入密码", hide_input=True)) != password:
        fail("两次输入的密码不一致，未作任何更改")
    return password


@app.command("add")
def add_command(
    username: str,
    role: Annotated[str, typer.Option("--role", help="editor、reviewer、duty、supervisor、admin")],
    user: User,
    department: Annotated[
        str | None, typer.Option("--department", help="所属部门编号或名称（编辑必填）")
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a console user; the password is asked twice unless --password-stdin is given."""
    password = _password(password_stdin)
    with STATE.context.database.session() as session:
        created = create_user(
            session,
            username=username,
            password=password,
            role=role,
            department=department,
            actor=user,
        )
        where = f"，部门：{created.department.name}" if created.department else ""
    print(f"已添加用户 {username}（{ROLE_NAMES[created.role]}{where}）")


@app.command("list")
def list_command() -> None:
    """List console users with role, department and state."""
    clock = STATE.context.clock
    with STATE.context.database.session() as session:
        table = Table("用户名", "角色", "部门", "状态", "最近登录")
        for u in list_users(session):
            table.add_row(
                u.username,
                ROLE_NAMES[u.role],
                u.department.name if u.department else "全部",
                "正常" if u.active else "已停用",
                clock.show(u.last_login_at) if u.last_login_at else "-",
            )
    console.print(table)


@app.command("disable")
def disable_command(username: str, user: User) -> None:
    """Stop a user from signing in (their open sessions end at the next request)."""
    with STATE.context.database.session() as session:
        set_active(session, username=username, active=False, actor=user)
    print(f"已停用用户 {username}")


@app.command("enable")
def enable_command(username: str, user: User) -> None:
    """Allow a disabled user to sign in again (also lifts a lockout)."""
    with STATE.context.database.session() as session:
        set_active(session, username=username, active=True, actor=user)
    print(f"已启用用户 {username}")


@app.command("password")
def password_command(username: str, user: User, password_stdin: PasswordStdin = False) -> None:
    """Set a new password for a user."""
    password = _password(password_stdin)
    with STATE.context.database.session() as session:
        set_password(session, username=username, password=password, actor=user)
    print(f"已为用户 {username} 设置新密码")
