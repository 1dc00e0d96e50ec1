"""`govbot ask`, `govbot eval [fit]` and `govbot bench answer`: talk to and measure the engine."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from bot.cli.progress import embedding_progress
from bot.cli.state import STATE, fail
from bot.settings import PROJECT_ROOT, load_settings
from handlers.compose import compose_reply
from knowledge_base.accounts import get_account
from knowledge_base.db import Database
from knowledge_base.directory_file import read_directory
from knowledge_base.importing import import_file
from knowledge_base.snapshot import load_snapshot
from knowledge_base.vectors import DatabaseVectorStore
from nlu.base import Nlu
from nlu.bench import DEFAULT_SIZES, bench_answer, one_core, read_kb_items
from nlu.conversation_evaluation import (
    read_conversations,
    run_conversations,
    summarize_conversations,
)
from nlu.decision_fit import Observation, fit_decision_model, observe, out_of_fold_report
from nlu.decision_model import save_decision_model
from nlu.department_model import cross_validate, fit, labelled, remit_priors
from nlu.encoders.registry import encoder_failure, load_encoder
from nlu.engine_state import build_state
from nlu.evaluation import evaluate, label_ceiling, read_query_rows
from nlu.privacy import mask_personal_data
from nlu.rasa.server import served_snapshot
from nlu.registry import backend_names, create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbSnapshot
from nlu.synonyms import read_synonyms
from nlu.vectors import Embedder

EVAL_DIR = Path("../shared/eval")
# Vectors of evaluation knowledge bases persist here, so a second run encodes nothing.
EVAL_VECTORS = PROJECT_ROOT / "var" / "eval" / "vectors.db"
# The public sets the decision model is fitted on: (name, knowledge base, queries, whether the
# labels are clean, whether the set stands for unseen citizen messages). LCQMC's labels name one
# of several identical entries (../shared/eval/README) and it is a check of hard negatives.
TRAINING_SETS = (
    ("citizen", "gov_faq_kb.jsonl", "citizen_queries.jsonl", True, True),
    ("lcqmc", "bench_kb.jsonl", "bench_queries.jsonl", False, False),
)

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
        snapshot = load_snapshot(session, today=context.clock.today())
    engine = create_nlu(settings.backend, settings, vectors=DatabaseVectorStore(context.database))
    with embedding_progress() as progress:
        engine.load(snapshot, progress=progress)
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
    """Import `kb` into a throw-away SQLite store and read it back the way the bot does, with the
    synonyms file's groups as `govbot init` would load them."""
    with tempfile.TemporaryDirectory(prefix="govbot-eval-") as scratch:
        database = Database(f"sqlite:///{Path(scratch) / 'eval.db'}")
        try:
            database.migrate()
            with database.session() as session:
                import_file(session, path=kb, actor="eval")
            with database.session() as session:
                snapshot = load_snapshot(
                    session,
                    today=STATE.context.clock.today(),
                    directory=read_directory(directory) if directory else None,
                )
            synonyms = read_synonyms(STATE.context.settings.synonyms_file)
            return dataclasses.replace(snapshot, synonyms=synonyms)
        finally:
            database.dispose()


@contextlib.contextmanager
def eval_vectors(path: Path = EVAL_VECTORS) -> Iterator[DatabaseVectorStore]:
    """The persistent vector cache of evaluation runs (default `var/eval/vectors.db`)."""
    database = Database(f"sqlite:///{path}")
    try:
        database.migrate()
        yield DatabaseVectorStore(database)
    finally:
        database.dispose()


def _engine(
    name: str, settings: NluSettings, snapshot: KbSnapshot, vectors: DatabaseVectorStore
) -> Nlu:
    engine = create_nlu(name, settings, vectors=vectors)
    with embedding_progress() as progress:
        engine.load(snapshot, progress=progress)
    return engine


def _routing_cross_validation(
    rows: list[dict[str, Any]],
    snapshot: KbSnapshot,
    settings: NluSettings,
    vectors: DatabaseVectorStore,
) -> dict[str, Any]:
    """Stratified five-fold accuracy of the department classifier on the rows' messages (as
    the engine sees them: masked), with the directory's remits as prior examples."""
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
    if encoder is None:
        fail(f"分派模型交叉验证需要语义编码器：{encoder_failure(settings.encoder) or '已关闭'}")
    embedder = Embedder(encoder, vectors, wordings_as=settings.wordings_as)
    routed = [r for r in rows if r.get("expected_department")]
    examples = labelled(
        [mask_personal_data(str(r["query"])) for r in routed],
        [str(r["expected_department"]) for r in routed],
        embedder,
    )
    priors = remit_priors(snapshot.directory, embedder)
    figures = cross_validate(examples, priors)
    # What a county's training and each routing decision cost: one fit on every letter, then
    # each letter's probabilities (its vector is computed anyway for the answer decision).
    started = time.perf_counter()
    model = fit(examples, priors)
    figures["train_seconds"] = round(time.perf_counter() - started, 2)
    spent = []
    for example in examples:
        started = time.perf_counter()
        model.probabilities(example.text, example.vector)
        spent.append((time.perf_counter() - started) * 1000)
    figures["decision_ms_p50"] = round(float(np.percentile(spent, 50)), 2)
    figures["decision_ms_p99"] = round(float(np.percentile(spent, 99)), 2)
    return figures


def _headline(result: dict[str, Any]) -> str:
    keys = (
        "answer_at_1",
        "hit_at_3",
        "answered_wrong_rate",
        "referred_away_rate",
        "false_answer_rate",
        "route_accuracy",
        "p50_ms",
        "p99_ms",
    )
    return f"{result['backend']}: " + ", ".join(f"{k}={result.get(k)}" for k in keys)


# The evaluation files, shared by `govbot eval` and `govbot rasa eval`.
KbFile = Annotated[Path, typer.Option("--kb", exists=True, dir_okay=False, help="知识库 JSONL")]
QueriesFile = Annotated[
    Path, typer.Option("--queries", exists=True, dir_okay=False, help="评测问题 JSONL")
]
DirectoryFile = Annotated[
    Path | None, typer.Option("--directory", exists=True, dir_okay=False, help="部门目录 YAML")
]
Jurisdiction = Annotated[
    str | None,
    typer.Option("--jurisdiction", help="知识库的辖区（如 北京市）；默认从知识库推断"),
]
# Checked where it is read, not by typer: the default need not exist unless it is used.
EvalDir = Annotated[Path, typer.Option("--eval-dir", file_okay=False, help="公开评测数据目录")]
VectorCache = Annotated[
    Path, typer.Option("--vector-cache", dir_okay=False, help="评测用语义向量缓存（SQLite 文件）")
]

eval_app = typer.Typer(help="评测答复引擎，或拟合决策模型（eval fit）。")


def _training_observations(
    eval_dir: Path, settings: NluSettings, vectors: DatabaseVectorStore
) -> list[Observation]:
    """The public training sets, each run through a semantic engine state of its own KB."""
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
    if encoder is None:
        fail(f"拟合决策模型需要语义编码器：{encoder_failure(settings.encoder) or '已关闭'}")
    embedder = Embedder(encoder, vectors, wordings_as=settings.wordings_as)
    missing = [
        str(eval_dir / name)
        for _, kb, queries, _, _ in TRAINING_SETS
        for name in (kb, queries)
        if not (eval_dir / name).is_file()
    ]
    if missing:
        fail(f"找不到公开评测数据：{'、'.join(missing)}（请用 --eval-dir 指定目录）")
    observations: list[Observation] = []
    for name, kb, queries, clean_labels, unseen in TRAINING_SETS:
        snapshot = scratch_snapshot(eval_dir / kb, None)
        with embedding_progress(f"{name}：计算语义向量") as progress:
            state = build_state(snapshot, settings, embedder, progress=progress)
        rows = read_query_rows(eval_dir / queries)
        observations += observe(
            state, embedder, rows, name, clean_labels=clean_labels, stands_for_unseen=unseen
        )
    return observations


def _conversation_figures(engine: Nlu, path: Path) -> dict[str, Any]:
    answer_at = load_settings().pipeline.follow_up_answer_at
    results = run_conversations(engine, read_conversations(path), answer_at=answer_at)
    figures = summarize_conversations(results)
    print(
        f"{engine.name} conversations: first_turn_at_1={figures['first_turn_at_1']}, "
        f"followup_at_1={figures['followup_at_1']} "
        f"(alone {figures['followup_at_1_alone']})"
    )
    for split, values in figures.get("by_split", {}).items():
        print(f"  {split}: followup_at_1={values['followup_at_1']} ({values['followups']} turns)")
    return figures


@eval_app.callback(invoke_without_command=True)
def eval_command(
    context: typer.Context,
    kb: Annotated[
        Path | None, typer.Option("--kb", exists=True, dir_okay=False, help="知识库 JSONL")
    ] = None,
    queries: Annotated[
        Path | None,
        typer.Option("--queries", exists=True, dir_okay=False, help="评测问题 JSONL"),
    ] = None,
    conversations: Annotated[
        Path | None,
        typer.Option(
            "--conversations", exists=True, dir_okay=False, help="多轮对话评测 JSONL（追问）"
        ),
    ] = None,
    directory: DirectoryFile = None,
    backend: Annotated[str, typer.Option("--backend", help="答复引擎")] = "builtin",
    compare_baseline: Annotated[
        bool, typer.Option("--compare-baseline", help="同一次运行中同时评测 baseline")
    ] = False,
    cross_validated: Annotated[
        bool,
        typer.Option(
            "--cross-validate",
            help=(
                "builtin：五折交叉验证决策模型（四折拟合、第五折评测），输出本评测集的结果；"
                "带 --directory 且评测问题标有部门时，交叉验证部门分派模型"
            ),
        ),
    ] = False,
    jurisdiction: Jurisdiction = None,
    eval_dir: EvalDir = EVAL_DIR,
    vector_cache: VectorCache = EVAL_VECTORS,
) -> None:
    """Evaluate an engine on labelled queries; the last line is a JSON object of the metrics.

    Its top level is the metrics of --backend (overall, `by_kind` and `by_style`); `baseline`
    holds the jieba + BM25 baseline's with --compare-baseline; `cross_validated` the figures of
    decision models fitted on four folds of the public training sets and measured on the fifth
    (this file's rows only) with --cross-validate; `engine` the mode, encoder and jurisdiction.
    `label_ceiling` says how far the labels let any engine go. With --conversations (instead
    of or beside --queries), `conversations` holds first_turn_at_1 and followup_at_1 (see
    `nlu.conversation_evaluation`), overall and per split.
    """
    if context.invoked_subcommand is not None:
        return
    if kb is None or (queries is None and conversations is None):
        fail(
            "请用 --kb 与 --queries（或 --conversations）指定知识库与评测数据"
            "（或运行 govbot eval fit）"
        )
    _check_backend(backend)
    # Routing is measured zero-shot here (a stored department model is another county's);
    # the learned classifier is measured by --cross-validate.
    settings = load_settings().nlu.model_copy(update={"routing_models": None})
    if jurisdiction:
        settings = settings.model_copy(update={"jurisdiction": jurisdiction})
    snapshot = scratch_snapshot(kb, directory)
    rows = read_query_rows(queries) if queries is not None else []
    routing = directory is not None and any(r.get("expected_department") for r in rows)
    with contextlib.ExitStack() as stack:
        vectors = stack.enter_context(eval_vectors(vector_cache))
        if backend == "rasa":
            # Train (or reuse the cached model) and serve Rasa for this knowledge base.
            server, model = stack.enter_context(served_snapshot(snapshot))
            rasa = settings.rasa.model_copy(
                update={"url": server.url, "timeout_s": 5, "budget_s": 4}
            )
            settings = settings.model_copy(update={"rasa": rasa})
        engine = _engine(backend, settings, snapshot, vectors)
        if queries is None:
            assert conversations is not None
            _print_json(_conversation_figures(engine, conversations))
            return
        result = evaluate(engine, rows)
        result["engine"] = engine.status()
        if conversations is not None:
            result["conversations"] = _conversation_figures(engine, conversations)
        if backend == "rasa":
            result["train_seconds"] = round(model.seconds, 1)
            result["model_cached"] = model.cached
        print(_headline(result))
        result["label_ceiling"] = label_ceiling(rows, snapshot.items)
        if compare_baseline and backend != "baseline":
            result["baseline"] = evaluate(_engine("baseline", settings, snapshot, vectors), rows)
            print(_headline(result["baseline"]))
        if cross_validated and routing:
            figures = _routing_cross_validation(rows, snapshot, settings, vectors)
            result["routing_cross_validated"] = figures
            print(f"routing cross-validated: {figures}")
        elif cross_validated:
            if backend != "builtin":
                fail("--cross-validate 只适用于 builtin 引擎")
            names = {kb_name: name for name, kb_name, *_ in TRAINING_SETS}
            dataset = names.get(kb.name)
            if dataset is None:
                fail(f"--cross-validate 只适用于公开训练集：{'、'.join(names)}")
            observations = _training_observations(eval_dir, settings, vectors)
            result["cross_validated"] = out_of_fold_report(observations)[dataset]
            print(f"cross-validated: {result['cross_validated']}")
    _print_json(result)


@eval_app.command("fit")
def fit_command(
    eval_dir: EvalDir = EVAL_DIR,
    out: Annotated[
        Path, typer.Option("--out", dir_okay=False, help="决策模型说明文件（JSON）")
    ] = PROJECT_ROOT / "config" / "decision_model.json",
    vector_cache: VectorCache = EVAL_VECTORS,
) -> None:
    """Fit the decision model on the public sets; write it and print its figures (JSON last).

    Both modes are fitted; thresholds are read off five-fold out-of-fold curves; the card
    beside the estimators records the data, thresholds and cross-validated figures.
    """
    settings = load_settings().nlu
    with eval_vectors(vector_cache) as vectors:
        observations = _training_observations(eval_dir, settings, vectors)
    card = {
        "fitted_on": [f"{kb} + {queries}" for _, kb, queries, *_ in TRAINING_SETS],
        "encoder": settings.encoder,
    }
    model, report = fit_decision_model(observations, card)
    save_decision_model(model, out)
    for mode, figures in report.items():
        print(
            f"{mode}: answer ≥ {figures['answer_threshold']}, "
            f"clarify ≥ {figures['clarify_threshold']}"
        )
        for dataset, values in figures["cross_validated"].items():
            print(f"  {dataset} (cross-validated): {values}")
    print(f"已写入 {out}")
    _print_json({m: {k: v for k, v in r.items() if k != "curve"} for m, r in report.items()})


@bench_app.command("answer")
def bench_answer_command(
    kb: Annotated[
        Path, typer.Option("--kb", exists=True, dir_okay=False, help="真实条目 JSONL")
    ] = EVAL_DIR / "gov_faq_kb.jsonl",
    queries: Annotated[
        Path, typer.Option("--queries", exists=True, dir_okay=False, help="计时用的问题 JSONL")
    ] = EVAL_DIR / "citizen_queries.jsonl",
    sizes: Annotated[str, typer.Option("--sizes", help="知识库规模，逗号分隔")] = ",".join(
        str(s) for s in DEFAULT_SIZES
    ),
    backend: Annotated[str, typer.Option("--backend", help="答复引擎")] = "builtin",
    vector_cache: VectorCache = EVAL_VECTORS,
) -> None:
    """Start-up with cached vectors, memory and p50/p99 decision latency on one core per KB
    size, and the encoder's cost per text (JSON last)."""
    _check_backend(backend)
    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        fail(f"--sizes 应为逗号分隔的整数：{sizes}")
    questions = [str(row["query"]) for row in read_query_rows(queries)]
    settings = load_settings()
    with one_core(), eval_vectors(vector_cache) as vectors:
        result = bench_answer(
            read_kb_items(kb),
            questions,
            backend=backend,
            sizes=counts,
            settings=settings.nlu,
            vectors=vectors,
            synonyms=read_synonyms(settings.synonyms_file),
        )
    for size in result["sizes"]:
        print(
            f"{size['entries']} 条：启动 {size['build_s']} s，内存 +{size['memory_mb']} MB，"
            f"p50 {size['p50_ms']} ms，p99 {size['p99_ms']} ms（{size['mode']}）"
        )
    if "encode_ms_per_text" in result:
        print(
            f"编码：批量 {result['encode_ms_per_text']} ms/条，单条问题 p50 "
            f"{result['query_encode_p50_ms']} ms，p99 {result['query_encode_p99_ms']} ms"
        )
    _print_json(result)


def register(app: typer.Typer) -> None:
    """Add `ask`, the `eval` group and the `bench` group to the top-level CLI."""
    app.command("ask")(ask)
    app.add_typer(eval_app, name="eval")
    app.add_typer(bench_app, name="bench")
