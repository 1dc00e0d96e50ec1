"""Answer-engine benchmark: start-up, memory and decision latency at growing KB sizes.

Larger knowledge bases are the real entries plus generated ones whose questions splice the words
of two real questions (so vocabulary and lengths stay realistic) under a generated code.
Encoding 100,000 generated questions would take the encoder most of an hour and measure nothing
new, so each generated question's vector is made from its two donors' real vectors: their mean
plus Gaussian noise (σ = 0.02 per dimension), renormalised. Those vectors are stored in the vector
cache first, so a size's `build_s` is the start-up of an engine whose vectors are cached, and
its latency is the real cost of searching that many vectors. What encoding costs is measured
apart, on real texts (`encode_ms_per_text`, `query_encode_ms`).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import resource
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jieba
import numpy as np

from nlu.base import Nlu
from nlu.encoders.registry import load_encoder
from nlu.engine_state import entry_passage
from nlu.registry import create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot, SynonymGroup
from nlu.vectors import Embedder, VectorStore, forget_memory

DEFAULT_SIZES = (2_000, 20_000, 100_000)
# Texts timed for the encoding cost.
_ENCODE_SAMPLE = 200


NOISE = 0.02


def generated_items(
    real: Sequence[KbItem], size: int, *, seed: int = 7
) -> tuple[tuple[KbItem, ...], list[tuple[int, int]]]:
    """`size` entries: the real ones first, then spliced questions (or the first `size` real),
    and for each generated one the positions of its two donor entries."""
    if size <= len(real):
        return tuple(real[:size]), []
    rng = random.Random(seed)
    tokenizer = jieba.Tokenizer()
    words = [tokenizer.lcut(item.question, HMM=False) for item in real]
    made: list[KbItem] = []
    donors: list[tuple[int, int]] = []
    for number in range(size - len(real)):
        head, tail = rng.randrange(len(real)), rng.randrange(len(real))
        first, second = words[head], words[tail]
        question = "".join(first[: max(1, len(first) // 2)] + second[len(second) // 2 :])
        donor = real[head]
        made.append(KbItem(f"gen{number:06d}", question, donor.answer, donor.department))
        donors.append((head, tail))
    return (*real, *made), donors


def _seed_vectors(
    embedder: Embedder,
    real: Sequence[KbItem],
    made: Sequence[KbItem],
    donors: Sequence[tuple[int, int]],
    *,
    seed: int = 7,
) -> None:
    """Store vectors for generated entries' questions and passages: their donors' mean plus
    noise (see module docstring)."""
    if not made:
        return
    rng = np.random.default_rng(seed)
    heads = np.asarray([h for h, _ in donors])
    tails = np.asarray([t for _, t in donors])
    kinds = (
        (embedder.wording_model_id, embedder.wordings, lambda i: i.question),
        (embedder.passage_model_id, embedder.passages, entry_passage),
    )
    for model_id, encode, text in kinds:
        base = encode([text(item) for item in real])
        mixed = (base[heads] + base[tails]) / 2
        mixed += rng.normal(0, NOISE, mixed.shape)
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        embedder.remember(model_id, [text(item) for item in made], mixed.astype(np.float32))


def _resident_mb() -> float:
    """Current resident memory of this process (Linux /proc), else the peak from getrusage."""
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def one_core() -> Iterator[None]:
    """Run on one core, as the latency floors are stated; restore afterwards (no-op elsewhere)."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cores)


async def _timed(engine: Nlu, queries: Sequence[str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each decision (CPU time is immune to other load)."""
    wall: list[float] = []
    cpu: list[float] = []
    for query in queries:
        # Process CPU time: the decision runs in the engine's pool thread, not this one.
        started, started_cpu = time.perf_counter(), time.process_time()
        await engine.decide(query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _encoding_cost(
    embedder: Embedder, real: Sequence[KbItem], queries: Sequence[str]
) -> dict[str, float]:
    """CPU milliseconds per text of encoding real wordings in a batch, and one query at a time."""
    sample = [item.question for item in real[:_ENCODE_SAMPLE]]
    started = time.process_time()
    embedder.encoder.encode_queries(sample)
    batch_ms = (time.process_time() - started) * 1000 / max(len(sample), 1)
    single: list[float] = []
    for query in queries[:_ENCODE_SAMPLE]:
        started = time.process_time()
        embedder.encoder.encode_queries([query])
        single.append((time.process_time() - started) * 1000)
    return {
        "encode_ms_per_text": round(batch_ms, 2),
        "query_encode_p50_ms": round(float(np.percentile(single, 50)), 2) if single else 0.0,
        "query_encode_p99_ms": round(float(np.percentile(single, 99)), 2) if single else 0.0,
    }


def bench_answer(
    real: Sequence[KbItem],
    queries: Sequence[str],
    *,
    backend: str = "builtin",
    sizes: Sequence[int] = DEFAULT_SIZES,
    settings: NluSettings | None = None,
    vectors: VectorStore | None = None,
    synonyms: Sequence[SynonymGroup] = (),
) -> dict[str, Any]:
    """Start-up with cached vectors, resident memory growth and p50/p99 decision latency per
    knowledge-base size, plus what encoding costs.

    Latency is wall-clock on one core; `cpu_p50_ms`/`cpu_p99_ms` and `build_cpu_s` are the same
    in this process's CPU time, for machines where other processes compete for the core.
    `vectors` caches the real entries' vectors between runs (the generated ones are seeded
    into it); `synonyms` are the groups the knowledge base would hold (`govbot init` loads the
    synonyms file).
    """
    settings = settings or NluSettings()
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
    embedder = Embedder(encoder, vectors, wordings_as=settings.wordings_as) if encoder else None
    results: list[dict[str, Any]] = []
    for size in sizes:
        items, donors = generated_items(real, size)
        if embedder is not None:
            _seed_vectors(embedder, real, items[len(real) :], donors)
        gc.collect()
        forget_memory()  # start-up reads the persisted cache, as a restarted worker does
        before = _resident_mb()
        engine = create_nlu(backend, settings, vectors=vectors)
        started, started_cpu = time.perf_counter(), time.process_time()
        engine.load(KbSnapshot(items=items, synonyms=tuple(synonyms)))
        build_s = time.perf_counter() - started
        build_cpu_s = time.process_time() - started_cpu
        wall, cpu = asyncio.run(_timed(engine, queries))
        results.append(
            {
                "entries": len(items),
                "build_s": round(build_s, 3),
                "build_cpu_s": round(build_cpu_s, 3),
                "memory_mb": round(_resident_mb() - before, 1),
                "p50_ms": round(float(np.percentile(wall, 50)), 3),
                "p99_ms": round(float(np.percentile(wall, 99)), 3),
                "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 3),
                "cpu_p99_ms": round(float(np.percentile(cpu, 99)), 3),
                "queries": len(queries),
                "mode": str(engine.status().get("mode")),
            }
        )
        del engine
    result: dict[str, Any] = {"backend": backend, "sizes": results}
    if embedder is not None:
        result.update(_encoding_cost(embedder, real, queries))
    return result


def read_kb_items(path: Path) -> tuple[KbItem, ...]:
    """Entries of a knowledge-base JSONL file (`id`, `question`, `answer`, `department`,
    optional `alternates`), read straight from the file: the benchmark measures the engine, not
    the import."""
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return tuple(
        KbItem(
            code=str(row["id"]),
            question=str(row["question"]),
            answer=str(row.get("answer", "")),
            department=str(row.get("department", "")),
            alternates=tuple(str(a) for a in row.get("alternates") or ()),
        )
        for row in rows
    )
