"""`govbot ask`, `govbot eval` and `govbot bench answer`: talk to and measure the answer engine."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.state import STATE, fail
from bot.settings import load_settings
from handlers.compose import compose_reply
from knowledge_base.accounts import get_account
from knowledge_base.db import Database
from knowledge_base.directory_file import read_directory
from knowledge_base.importing import import_file
from knowledge_base.snapshot import load_snapshot
from nlu.base import Nlu
from nlu.bench import DEFAULT_SIZES, bench_answer, one_core, read_kb_items
from nlu.builtin import BuiltinNlu
from nlu.calibration_fit import cross_validate, fit_self_supervised
from nlu.evaluation import evaluate, label_ceiling, read_query_rows, threshold_curve
from nlu.rasa.server import served_snapshot
from nlu.registry import backend_names, create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbSnapshot

EVAL_DIR = Path("../shared/eval")

bench_app = typer.Typer(help="性能基准：答复引擎的建索引时间、内存与时延。", no_args_is_help=True)


def _print_json(data: Any) -> None:
    """The machine-readable result, always the last line of output."""
    print(json.dumps(data, ensure_ascii=False, default=str))


def _check_backend(name: str) -> None:
    if name not in backend_names():
        fail(f"未知的答复引擎 {name}，可选：{'、'.join(backend_names())}")


def ask(
    text: Annotated[str, typer.Argument(help="市民的问题或留言")],
    as_json: Annotated[bool, typer.Option("--json", help="输出判定与回复的 JSON")] = False,
    account: Annotated[
        str | None, typer.Option("--account", help="被咨询的账号编号（决定本部门事项）")
    ] = None,
) -> None:
    """Answer one message from the configured knowledge base, as a citizen would see it."""
    context = STATE.context
    settings = context.settings.nlu
    _check_backend(settings.backend)
    with context.database.session() as session:
        department = get_account(session, code=account).department.name if account else None
        snapshot = load_snapshot(session)
    engine = create_nlu(settings.backend, settings)
    engine.load(snapshot)
    decision = asyncio.run(engine.decide(text, department=department))
    reply = compose_reply(decision)
    if as_json:
        _print_json({"decision": dataclasses.asdict(decision), "reply": dataclasses.asdict(reply)})
        return
    print(reply.text)
    for choice in reply.choices:
        print(f"  [{choice.number}] {choice.code}")
    if reply.handover:
        print("（已转人工）")


def scratch_snapshot(kb: Path, directory: Path | None) -> KbSnapshot:
    """Import `kb` into a throw-away SQLite store and read it back the way the bot does."""
    with tempfile.TemporaryDirectory(prefix="govbot-eval-") as scratch:
        database = Database(f"sqlite:///{Path(scratch) / 'eval.db'}")
        try:
            database.migrate()
            with database.session() as session:
                import_file(session, path=kb, actor="eval")
            with database.session() as session:
                return load_snapshot(
                    session, directory=read_directory(directory) if directory else None
                )
        finally:
            database.dispose()


def _engine(name: str, settings: NluSettings, snapshot: KbSnapshot) -> Nlu:
    engine = create_nlu(name, settings)
    engine.load(snapshot)
    return engine


def _headline(result: dict[str, Any]) -> str:
    keys = ("answer_at_1", "hit_at_3", "false_answer_rate", "route_accuracy", "p50_ms", "p99_ms")
    return f"{result['backend']}: " + ", ".join(f"{k}={result.get(k)}" for k in keys)


# The evaluation files, shared by `govbot eval` and `govbot rasa eval`.
KbFile = Annotated[Path, typer.Option("--kb", exists=True, dir_okay=False, help="知识库 JSONL")]
QueriesFile = Annotated[
    Path, typer.Option("--queries", exists=True, dir_okay=False, help="评测问题 JSONL")
]
DirectoryFile = Annotated[
    Path | None, typer.Option("--directory", exists=True, dir_okay=False, help="部门目录 YAML")
]


def eval_command(
    kb: KbFile,
    queries: QueriesFile,
    directory: DirectoryFile = None,
    backend: Annotated[str, typer.Option("--backend", help="答复引擎")] = "builtin",
    compare_baseline: Annotated[
        bool, typer.Option("--compare-baseline", help="同一次运行中同时评测 baseline")
    ] = False,
    cross_validated: Annotated[
        bool,
        typer.Option("--cross-validate", help="builtin：按问题五折交叉验证置信度模型后再评测"),
    ] = False,
    fit: Annotated[
        bool,
        typer.Option(
            "--fit-calibration",
            help="builtin：仅用知识库自身（条目问题的改写与近似干扰）自监督拟合置信度权重并输出",
        ),
    ] = False,
    curve: Annotated[
        bool,
        typer.Option("--curve", help="builtin：按一组答复阈值输出汇总曲线（用于选阈值）"),
    ] = False,
) -> None:
    """Evaluate an engine on labelled queries; the last line is a JSON object of the metrics.

    Its top level is the metrics of --backend; `baseline` holds the baseline's with
    --compare-baseline, `cross_validated` the held-out metrics of a supervised fit on these
    queries with --cross-validate (a reference only; the defaults never come from it),
    `calibration` weights fitted on the knowledge base alone with --fit-calibration, and `curve`
    the aggregate metrics per answer threshold with --curve. `label_ceiling` says how far the
    labels let any engine go: queries that are verbatim another entry's question bound
    answer_at_1 from above.
    """
    _check_backend(backend)
    settings = load_settings().nlu
    snapshot = scratch_snapshot(kb, directory)
    rows = read_query_rows(queries)
    with contextlib.ExitStack() as stack:
        if backend == "rasa":
            # Train (or reuse the cached model) and serve Rasa for this knowledge base.
            server, model = stack.enter_context(served_snapshot(snapshot, settings))
            rasa = settings.rasa.model_copy(
                update={"url": server.url, "timeout_s": 5, "budget_s": 4}
            )
            settings = settings.model_copy(update={"rasa": rasa})
        engine = _engine(backend, settings, snapshot)
        result = evaluate(engine, rows)
        if backend == "rasa":
            result["train_seconds"] = round(model.seconds, 1)
            result["model_cached"] = model.cached
    print(_headline(result))
    result["label_ceiling"] = label_ceiling(rows, snapshot.items)
    if compare_baseline and backend != "baseline":
        result["baseline"] = evaluate(_engine("baseline", settings, snapshot), rows)
        print(_headline(result["baseline"]))
    if (cross_validated or fit or curve) and not isinstance(engine, BuiltinNlu):
        fail("--cross-validate、--fit-calibration 与 --curve 只适用于 builtin 引擎")
    if isinstance(engine, BuiltinNlu) and cross_validated:
        result["cross_validated"] = cross_validate(engine, rows)
        print(_headline(result["cross_validated"]))
    if isinstance(engine, BuiltinNlu) and fit:
        result["calibration"] = fit_self_supervised(engine).as_mapping()
    if isinstance(engine, BuiltinNlu) and curve:
        result["curve"] = threshold_curve(engine, rows)
        for point in result["curve"]:
            print(json.dumps(point, ensure_ascii=False))
    _print_json(result)


@bench_app.command("answer")
def bench_answer_command(
    kb: Annotated[
        Path, typer.Option("--kb", exists=True, dir_okay=False, help="真实条目 JSONL")
    ] = EVAL_DIR / "gov_faq_kb.jsonl",
    queries: Annotated[
        Path, typer.Option("--queries", exists=True, dir_okay=False, help="计时用的问题 JSONL")
    ] = EVAL_DIR / "bench_queries.jsonl",
    sizes: Annotated[str, typer.Option("--sizes", help="知识库规模，逗号分隔")] = ",".join(
        str(s) for s in DEFAULT_SIZES
    ),
    backend: Annotated[str, typer.Option("--backend", help="答复引擎")] = "builtin",
) -> None:
    """Index build time, resident memory and p50/p99 latency on one core per KB size (JSON last)."""
    _check_backend(backend)
    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        fail(f"--sizes 应为逗号分隔的整数：{sizes}")
    questions = [str(row["query"]) for row in read_query_rows(queries)]
    with one_core():
        result = bench_answer(
            read_kb_items(kb),
            questions,
            backend=backend,
            sizes=counts,
            settings=load_settings().nlu,
        )
    for size in result["sizes"]:
        print(
            f"{size['entries']} 条：建索引 {size['build_s']} s，内存 +{size['memory_mb']} MB，"
            f"p50 {size['p50_ms']} ms，p99 {size['p99_ms']} ms"
        )
    _print_json(result)


def register(app: typer.Typer) -> None:
    """Add `ask`, `eval` and the `bench` group to the top-level CLI."""
    app.command("ask")(ask)
    app.command("eval")(eval_command)
    app.add_typer(bench_app, name="bench")
