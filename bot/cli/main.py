"""Entry point of `govbot`: sub-commands, and the one place that turns errors into exit codes."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.cli import (
    account_commands,
    alert_commands,
    bench_commands,
    calendar_commands,
    engine_commands,
    kb_commands,
    rasa_commands,
    routing_commands,
    serve_commands,
    spool_commands,
    staff_commands,
    ticket_commands,
    user_commands,
)
from bot.cli.reindex import EncoderUnavailable, reindex
from bot.cli.state import STATE, default_user, fail
from bot.settings import SettingsError, redact_url
from knowledge_base.errors import KbError
from knowledge_base.sample_county import is_empty, load_county
from nlu.encoders.registry import encoder_failure, load_encoder

app = typer.Typer(
    help="govbot：政务新媒体咨询机器人。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(kb_commands.app, name="kb")
app.add_typer(account_commands.app, name="accounts")
app.add_typer(calendar_commands.app, name="calendar")
app.add_typer(user_commands.app, name="users")
app.add_typer(ticket_commands.app, name="tickets")
app.add_typer(staff_commands.staff_app, name="staff")
app.add_typer(staff_commands.roster_app, name="roster")
app.add_typer(alert_commands.app, name="alerts")
app.add_typer(rasa_commands.app, name="rasa")
app.add_typer(spool_commands.app, name="spool")
app.add_typer(routing_commands.app, name="routing")
app.command("scheduler")(alert_commands.scheduler)
serve_commands.register(app)
engine_commands.register(app)
bench_commands.register(engine_commands.bench_app)


@app.command()
def init(
    user: Annotated[str, typer.Option("--user", "-u", default_factory=default_user)],
    sample: Annotated[bool, typer.Option(help="数据库为空时载入样例县数据")] = True,
) -> None:
    """Migrate the database; on an empty database, load the sample county from config/;
    then compute the sentence vectors the answer engine lacks."""
    context = STATE.context
    context.database.migrate()
    with context.database.session() as session:
        if not sample or not is_empty(session):
            print("数据库已是最新结构")
        else:
            report = load_county(
                session,
                county_dir=context.settings.county_dir,
                synonyms_file=context.settings.synonyms_file,
                actor=user,
                today=context.clock.today(),
            )
            print(
                f"已载入样例县 {report.county}：部门 {report.departments} 个，"
                f"账号 {report.accounts} 个，同义词 {report.synonym_groups} 组，"
                f"条目 {report.entries.created} 条"
            )
    try:
        vectors = reindex(context)
    except EncoderUnavailable as exc:
        print(f"注意：{exc}；答复引擎将以词法模式运行")
        return
    if vectors.encoded:
        print(f"已计算 {vectors.encoded} 条问法的语义向量（{vectors.seconds} s）")


@app.command("settings")
def show_settings() -> None:
    """Print the effective settings as JSON, with secrets and passwords hidden."""
    settings = STATE.context.settings
    data = settings.model_dump(mode="json")
    data["database_url"] = redact_url(settings.database_url)
    if settings.redis_url:
        data["redis_url"] = redact_url(settings.redis_url)
    encoder = load_encoder(settings.nlu.encoder, threads=settings.nlu.encoder_threads)
    # Not a setting but what the settings give: semantic, or lexical and why.
    data["answer_engine"] = {
        "mode": "semantic" if encoder is not None else "lexical",
        "encoder": encoder.model_id if encoder is not None else settings.nlu.encoder,
        "encoder_error": encoder_failure(settings.nlu.encoder),
    }
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _database_problem(exc: OperationalError | ProgrammingError) -> str:
    """One line saying what is wrong with the database, without the SQL or the password."""
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    # SQLite says "no such table", PostgreSQL 'relation "…" does not exist'.
    if "no such table" in detail or ("relation" in detail and "does not exist" in detail):
        return "数据库尚未初始化：请先运行 govbot init（建表并载入样例县数据）"
    url = redact_url(STATE.context.settings.database_url)
    return f"无法使用数据库 {url}：{detail.splitlines()[0] if detail else type(exc).__name__}"


def main() -> None:
    """Run the CLI; a bad setting exits 2, a refused request exits 1, each with one line."""
    try:
        # Without standalone mode click returns a command's exit code instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except SettingsError as exc:
        print(f"govbot: {exc}", file=sys.stderr)
        sys.exit(2)
    except KbError as exc:
        for error in getattr(exc, "errors", []):
            print(f"  {error}", file=sys.stderr)
        try:
            fail(str(exc))
        except typer.Exit as exit_:
            sys.exit(exit_.exit_code)
    except (OperationalError, ProgrammingError) as exc:
        print(f"错误：{_database_problem(exc)}", file=sys.stderr)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:
        # Usage errors (click's, or the copy vendored by newer typer) know how to show themselves.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise
