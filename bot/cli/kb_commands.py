"""`govbot kb …`: import, export, browse and run the review workflow of the knowledge base."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from bot.cli.reindex import EncoderUnavailable, reindex
from bot.cli.state import STATE, default_user, fail
from knowledge_base.catalog import entry_stats, list_entries
from knowledge_base.content import EntryContent
from knowledge_base.importing import export_file, import_file
from knowledge_base.models import EntryStatus
from knowledge_base.sample_county import load_synonyms_file
from knowledge_base.workflow import (
    get_entry,
    publish,
    reject,
    retire,
    rollback,
    save_draft,
    submit_for_review,
)

# What an editor reads for an entry's and a draft's state.
ENTRY_STATUS_NAMES = {
    "draft": "草稿",
    "in_review": "待审核",
    "published": "已发布",
    "retired": "已下线",
}
DRAFT_STATE_NAMES = {"editing": "编辑中", "in_review": "待审核"}

app = typer.Typer(
    help="知识库：导入导出、查看、起草、审核、发布、下线、回退。", no_args_is_help=True
)
console = Console()

User = Annotated[
    str, typer.Option("--user", "-u", help="操作人（记入审计日志）", default_factory=default_user)
]
DateOpt = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])]


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="JSONL、YAML、CSV 或 XLSX 文件")],
    user: User,
    draft: Annotated[bool, typer.Option("--draft", help="导入为草稿，走审核流程")] = False,
) -> None:
    """Import entries: every row is checked first; one bad row and nothing is imported."""
    with STATE.context.database.session() as session:
        report = import_file(session, path=file, actor=user, publish=not draft)
    if report.drafts_without_answer:
        codes = "、".join(report.drafts_without_answer[:20])
        print(f"注意：{len(report.drafts_without_answer)} 条没有答案，已存为草稿待补充：{codes}")
    if not report.changed:
        print(f"共 {report.rows} 条，没有变化（no change）")
        return
    print(
        f"共 {report.rows} 条：新增 {report.created}，更新 {report.updated}，"
        f"未变 {report.unchanged}"
        + (f"；新建部门 {len(report.departments_created)} 个" if report.departments_created else "")
    )


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help=".jsonl .yaml .csv 或 .xlsx")],
) -> None:
    """Export every published entry (live version) to a file."""
    with STATE.context.database.session() as session:
        count = export_file(session, path=file)
    print(f"已导出 {count} 条到 {file}")


@app.command("list")
def list_command(
    department: Annotated[str | None, typer.Option(help="部门名称或编号")] = None,
    status: Annotated[EntryStatus | None, typer.Option(help="状态")] = None,
    search: Annotated[str | None, typer.Option(help="按编号或问题搜索")] = None,
    limit: Annotated[int, typer.Option(help="最多显示条数")] = 200,
) -> None:
    """List entries with status, department and current question."""
    with STATE.context.database.session() as session:
        entries = list_entries(
            session, department=department, status=status, search=search, limit=limit
        )
        table = Table("编号", "状态", "部门", "问题", "版本", "草稿")
        for entry in entries:
            latest = entry.latest_version
            question = latest.question if latest else (entry.draft.question if entry.draft else "")
            table.add_row(
                entry.code,
                ENTRY_STATUS_NAMES[entry.status.value],
                entry.department.name,
                question,
                str(entry.live_version_number or "-"),
                DRAFT_STATE_NAMES[entry.draft.state.value] if entry.draft else "",
            )
    console.print(table)


@app.command("show")
def show_command(code: str) -> None:
    """Show one entry: live answer, pending draft and version history."""
    clock = STATE.context.clock
    with STATE.context.database.session() as session:
        entry = get_entry(session, code=code)
        status = ENTRY_STATUS_NAMES[entry.status.value]
        print(f"编号：{entry.code}    状态：{status}    部门：{entry.department.name}")
        live = entry.live_version
        if live is not None:
            print(f"当前版本：第 {live.number} 版（作者 {live.author}，审核 {live.reviewer}）")
            print(f"问题：{live.question}")
            if live.alternates:
                print("其他问法：" + "；".join(live.alternates))
            print(f"答案：{live.answer}")
            if live.source_title or live.source_url:
                print(f"来源：{live.source_title} {live.source_url}".rstrip())
            if live.valid_from or live.valid_until:
                print(f"有效期：{live.valid_from or '不限'} 至 {live.valid_until or '不限'}")
        if entry.draft is not None:
            d = entry.draft
            state = DRAFT_STATE_NAMES[d.state.value]
            print(f"草稿（{state}，编写人 {'、'.join(d.contributors)}）：{d.question}")
            if d.review_comment:
                print(f"审核意见：{d.review_comment}")
        print("历史版本：")
        for v in entry.versions:
            print(
                f"  第 {v.number} 版  {clock.show(v.published_at)}  作者 {v.author}  "
                f"审核 {v.reviewer}  {v.reason}"
            )


@app.command("stats")
def stats_command(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts of entries by status, versions and departments."""
    with STATE.context.database.session() as session:
        stats = entry_stats(session)
    if as_json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")


@app.command("draft")
def draft_command(
    code: str,
    user: User,
    question: Annotated[str, typer.Option(help="标准问题")],
    answer: Annotated[str, typer.Option(help="答案")],
    department: Annotated[str | None, typer.Option(help="所属部门（新条目必填）")] = None,
    alternate: Annotated[list[str] | None, typer.Option(help="其他问法，可多次给出")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="标签，可多次给出")] = None,
    source_title: str = "",
    source_url: str = "",
    valid_from: DateOpt = None,
    valid_until: DateOpt = None,
) -> None:
    """Create an entry or change its draft (not visible to citizens until published)."""
    try:
        content = EntryContent(
            question=question,
            answer=answer,
            alternates=alternate or [],
            tags=tag or [],
            source_title=source_title,
            source_url=source_url,
            valid_from=valid_from.date() if valid_from else None,
            valid_until=valid_until.date() if valid_until else None,
        )
    except ValidationError as exc:
        fail(exc.errors()[0]["msg"].removeprefix("Value error, "))
    with STATE.context.database.session() as session:
        save_draft(session, code=code, content=content, author=user, department=department)
    print(f"已保存条目 {code} 的草稿")


@app.command("submit")
def submit_command(code: str, user: User) -> None:
    """Submit a draft for review."""
    with STATE.context.database.session() as session:
        submit_for_review(session, code=code, actor=user)
    print(f"条目 {code} 已提交审核")


@app.command("publish")
def publish_command(code: str, user: User, reason: str = "") -> None:
    """Approve and publish the draft under review (the reviewer must not be an author)."""
    with STATE.context.database.session() as session:
        version = publish(session, code=code, reviewer=user, reason=reason)
    print(f"条目 {code} 已发布第 {version.number} 版")


@app.command("reject")
def reject_command(
    code: str, user: User, comment: Annotated[str, typer.Option(help="退回原因")]
) -> None:
    """Send a draft under review back to its author."""
    with STATE.context.database.session() as session:
        reject(session, code=code, reviewer=user, comment=comment)
    print(f"条目 {code} 已退回修改")


@app.command("retire")
def retire_command(
    code: str, user: User, reason: Annotated[str, typer.Option(help="下线原因")]
) -> None:
    """Withdraw an entry from citizens."""
    with STATE.context.database.session() as session:
        retire(session, code=code, actor=user, reason=reason)
    print(f"条目 {code} 已下线")


@app.command("rollback")
def rollback_command(
    code: str,
    user: User,
    to: Annotated[int, typer.Option("--to", help="回退到的版本号")],
    reason: str = "",
) -> None:
    """Publish an earlier version again (as a new version)."""
    with STATE.context.database.session() as session:
        version = rollback(session, code=code, to_version=to, actor=user, reason=reason)
    print(f"条目 {code} 已回退：第 {to} 版的内容作为第 {version.number} 版重新发布")


@app.command("synonyms")
def synonyms_command(
    user: User,
    file: Annotated[Path | None, typer.Argument(help="同义词 YAML，默认为设置中的文件")] = None,
) -> None:
    """Replace the synonym groups with those of a YAML file."""
    context = STATE.context
    path = file or context.settings.synonyms_file
    with context.database.session() as session:
        count = load_synonyms_file(session, path=path, actor=user)
    print(f"已载入 {count} 组同义词")


@app.command("reindex")
def reindex_command(
    model: Annotated[
        str | None, typer.Option("--model", help="编码器名称，默认取设置 nlu.encoder")
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="删除该模型已缓存的向量，全部重新计算")
    ] = False,
) -> None:
    """Compute the sentence vectors of every published wording the vector cache lacks."""
    try:
        report = reindex(STATE.context, encoder_name=model, fresh=fresh)
    except EncoderUnavailable as exc:
        fail(str(exc))
    print(
        f"{report.entries} 条条目、{report.wordings} 条问法：新计算 {report.encoded} 条向量"
        f"（{report.seconds} s，模型 {report.model_id}）"
        + (f"；已先删除旧向量 {report.dropped} 条" if report.dropped else "")
    )
