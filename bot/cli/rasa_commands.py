"""`govbot rasa …`: export the knowledge base as a Rasa 3.6 project, train it, measure it.

Rasa runs from its own Python 3.10 environment (`scripts/rasa_env.sh`); these commands only
write files and start Rasa's command-line tools as subprocesses.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.engine_commands import DirectoryFile, KbFile, QueriesFile, scratch_snapshot
from bot.cli.state import STATE, fail
from bot.settings import load_settings
from knowledge_base.snapshot import load_snapshot
from nlu.builtin import BuiltinNlu
from nlu.evaluation import evaluate, read_query_rows
from nlu.rasa.backend import RasaNlu
from nlu.rasa.export import FULL, SMALL, Project, Training, export_project
from nlu.rasa.server import (
    RasaEnvironmentMissing,
    rasa_env,
    served_snapshot,
    train,
    validate,
)
from nlu.rasa.settings import RasaSettings

app = typer.Typer(help="Rasa：把知识库导出为 Rasa 3.6 项目、训练并评测。", no_args_is_help=True)

Small = Annotated[bool, typer.Option("--small", help="小配置（样例县规模，训练快）")]


def _training(small: bool, diet_epochs: int | None, selector_epochs: int | None) -> Training:
    base = SMALL if small else FULL
    return replace(
        base,
        diet_epochs=diet_epochs or base.diet_epochs,
        selector_epochs=selector_epochs or base.selector_epochs,
    )


def _published_project(training: Training) -> Project:
    context = STATE.context
    with context.database.session() as session:
        snapshot = load_snapshot(session, today=context.clock.today())
    if not snapshot.items:
        fail("知识库中没有已发布的条目")
    return export_project(snapshot, training)


def _venv() -> Path:
    try:
        return rasa_env()
    except RasaEnvironmentMissing as exc:
        fail(f"没有 Python 3.10，无法运行 Rasa：{exc}")


@app.command("export")
def export_command(
    directory: Annotated[Path, typer.Argument(help="输出目录（Rasa 项目）")],
    small: Small = False,
    check: Annotated[bool, typer.Option("--validate", help="再运行 rasa data validate")] = False,
) -> None:
    """Write config.yml, domain.yml, data/nlu.yml, data/rules.yml from the published entries."""
    project = _published_project(_training(small, None, None))
    project.write(directory)
    print(
        f"已导出 {len(project.codes)} 条到 {directory}（项目摘要 {project.digest}）"
        + (f"；{len(project.skipped)} 条问法与其他条目重复而未导出" if project.skipped else "")
    )
    if check:
        done = validate(_venv(), directory)
        if done.returncode != 0:
            fail(f"rasa data validate 未通过：\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        print("rasa data validate 通过")


@app.command("train")
def train_command(
    directory: Annotated[Path, typer.Argument(help="保存模型的目录")],
    small: Small = False,
) -> None:
    """Export, then train with the Rasa environment (cached by project hash); copy the model."""
    project = _published_project(_training(small, None, None))
    model = train(_venv(), project)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"govbot-{project.digest}.tar.gz"
    shutil.copyfile(model.path, target)
    cached = "，缓存的模型" if model.cached else ""
    print(f"模型：{target}（训练 {model.seconds:.0f} s{cached}）")
    print(f"启动：rasa run --enable-api -m {target}")


def _row(result: dict[str, Any]) -> str:
    keys = ("answer_at_1", "hit_at_3", "false_answer_rate", "p50_ms", "p99_ms")
    return f"| {result['backend']} | " + " | ".join(str(result.get(k)) for k in keys) + " |"


@app.command("eval")
def eval_command(
    kb: KbFile,
    queries: QueriesFile,
    directory: DirectoryFile = None,
    small: Small = False,
    diet_epochs: Annotated[int | None, typer.Option("--diet-epochs", min=1)] = None,
    selector_epochs: Annotated[int | None, typer.Option("--selector-epochs", min=1)] = None,
) -> None:
    """Train (or reuse) a model for `kb`, serve it, and evaluate rasa and builtin side by side.

    The last line is JSON: each engine's metrics, Rasa's training seconds and its counters
    (`fallbacks_total` > 0 means some rasa decisions were really the built-in engine's).
    """
    settings = load_settings().nlu
    snapshot = scratch_snapshot(kb, directory)
    rows = read_query_rows(queries)
    training = _training(small, diet_epochs, selector_epochs)
    builtin = BuiltinNlu(settings)
    builtin.load(snapshot)
    try:
        served = served_snapshot(snapshot, training)
        with served as (server, model):
            # Generous limits: the measurement is of Rasa, not of the fallback.
            engine = RasaNlu(settings, RasaSettings(url=server.url, timeout_s=5, budget_s=4))
            started = time.perf_counter()
            engine.load(snapshot)
            load_s = time.perf_counter() - started
            rasa = evaluate(engine, rows)
    except RasaEnvironmentMissing as exc:
        fail(f"没有 Python 3.10，无法运行 Rasa：{exc}")
    print(f"训练 {model.seconds:.0f} s" + ("（缓存的模型）" if model.cached else ""))
    rasa.update(
        train_s=round(model.seconds, 1),
        train_cached=model.cached,
        load_s=round(load_s, 2),
        counters=engine.counters(),
    )
    result = {"rasa": rasa, "builtin": evaluate(builtin, rows)}
    print("| backend | answer_at_1 | hit_at_3 | false_answer_rate | p50_ms | p99_ms |")
    print("|---|---|---|---|---|---|")
    print(_row(rasa))
    print(_row(result["builtin"]))
    print(json.dumps(result, ensure_ascii=False, default=str))
