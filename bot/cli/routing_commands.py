"""`govbot routing import|train|status`: labelled examples and the department classifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.state import STATE, default_user, fail
from handlers.routing_training import new_examples, train_department_model
from knowledge_base.models.base import utcnow
from knowledge_base.routing_examples import example_count, import_examples
from knowledge_base.snapshot import load_directory
from knowledge_base.vectors import DatabaseVectorStore
from nlu.department_model import newest_card
from nlu.encoders.registry import encoder_failure, load_encoder
from nlu.vectors import Embedder

app = typer.Typer(help="部门分派：导入历史样本、训练分派模型。", no_args_is_help=True)
User = Annotated[str, typer.Option("--user", "-u", default_factory=default_user)]


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV / XLSX / JSONL，含 text 与 department 两列")],
    user: User,
) -> None:
    """Import labelled history, all rows or none (each bad row is named)."""
    with STATE.context.database.session() as session:
        departments = {d.name for d in load_directory(session).departments}
        report = import_examples(session, path=file, departments=departments, actor=user)
    print(f"已导入分派样本 {report.rows} 条")
    for department, count in sorted(report.by_department.items()):
        print(f"  {department}：{count}")


@app.command("train")
def train_command(user: User) -> None:
    """Train the department classifier on the stored examples and store a new version (JSON
    of its card last); running engines load it with their next refresh."""
    context = STATE.context
    settings = context.settings.nlu
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
    if encoder is None:
        fail(f"训练分派模型需要语义编码器：{encoder_failure(settings.encoder) or '已关闭'}")
    embedder = Embedder(
        encoder, DatabaseVectorStore(context.database), wordings_as=settings.wordings_as
    )
    trained = train_department_model(context.database, settings, embedder, now=utcnow(), actor=user)
    card = trained.card
    figures = card["cross_validated"]
    accuracy = f"交叉验证准确率 {figures['mean']}" if figures else "样本太少，未做交叉验证"
    print(
        f"已训练分派模型 v{card['version']}（{card['examples']} 条样本，{accuracy}，"
        f"用时 {trained.seconds:.1f} 秒）：{trained.path}"
    )
    print(json.dumps(card, ensure_ascii=False))


@app.command("status")
def status_command() -> None:
    """Stored examples and the newest model's card."""
    context = STATE.context
    with context.database.session() as session:
        count = example_count(session)
    settings = context.settings.nlu
    card = newest_card(settings.routing_models) if settings.routing_models else None
    arrived = new_examples(context.database, settings)
    due = (
        f"，满 {settings.routing_retrain_examples} 条自动重新训练"
        if settings.routing_retrain_examples
        else "，未开启自动重新训练"
    )
    print(
        f"分派样本 {count} 条（最新模型之后新增 {arrived} 条{due}）；"
        + (f"最新模型 {card.name}" if card else "尚未训练模型（零样本分派）")
    )
    if card is not None:
        print(card.read_text(encoding="utf-8"))
