"""`govbot routing import|train|status`: labelled examples and the department classifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.state import STATE, default_user, fail
from knowledge_base.models.base import utcnow
from knowledge_base.routing_examples import all_examples, example_count, import_examples
from knowledge_base.snapshot import load_directory
from knowledge_base.vectors import DatabaseVectorStore
from nlu.department_model import (
    MIN_EXAMPLES_PER_DEPARTMENT,
    labelled,
    newest_card,
    remit_priors,
    too_few_examples,
    train,
)
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
def train_command() -> None:
    """Train the department classifier on the stored examples and store a new version (JSON
    of its card last)."""
    context = STATE.context
    settings = context.settings.nlu
    if settings.routing_models is None:
        fail("未配置分派模型目录（nlu.routing_models）")
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
    if encoder is None:
        fail(f"训练分派模型需要语义编码器：{encoder_failure(settings.encoder) or '已关闭'}")
    embedder = Embedder(
        encoder, DatabaseVectorStore(context.database), wordings_as=settings.wordings_as
    )
    with context.database.session() as session:
        directory = load_directory(session)
        rows = [(e.text, e.department) for e in all_examples(session)]
    known = {d.name for d in directory.departments}
    rows = [(text, department) for text, department in rows if department in known]
    if not rows:
        fail("没有可用的分派样本：请先运行 govbot routing import")
    short = too_few_examples([d for _, d in rows])
    if short:
        listed = "、".join(f"{d} {n} 条" for d, n in short.items())
        fail(
            f"分派样本太少，未训练（每个部门至少 {MIN_EXAMPLES_PER_DEPARTMENT} 条；{listed}）；"
            "仍按部门职责分派"
        )
    examples = labelled([t for t, _ in rows], [d for _, d in rows], embedder)
    model, card = train(
        examples,
        remit_priors(directory, embedder),
        directory=settings.routing_models,
        now=utcnow(),
        card={"encoder": encoder.model_id},
    )
    figures = model.card["cross_validated"]
    accuracy = f"交叉验证准确率 {figures['mean']}" if figures else "样本太少，未做交叉验证"
    print(f"已训练分派模型 v{model.card['version']}（{len(examples)} 条样本，{accuracy}）：{card}")
    print(json.dumps(model.card, ensure_ascii=False))


@app.command("status")
def status_command() -> None:
    """Stored examples and the newest model's card."""
    context = STATE.context
    with context.database.session() as session:
        count = example_count(session)
    directory = context.settings.nlu.routing_models
    card = newest_card(directory) if directory else None
    print(
        f"分派样本 {count} 条；"
        + (f"最新模型 {card.name}" if card else "尚未训练模型（零样本分派）")
    )
    if card is not None:
        print(card.read_text(encoding="utf-8"))
