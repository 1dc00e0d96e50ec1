"""Answer-engine benchmark: index build time, memory and decision latency at growing KB sizes.

Larger knowledge bases are the real entries plus generated ones whose questions splice the words
of two real questions (so vocabulary and lengths stay realistic) under a generated code.
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
from nlu.registry import create_nlu
from nlu.settings import NluSettings
from nlu.snapshot import KbItem, KbSnapshot

DEFAULT_SIZES = (2_000, 20_000, 100_000)


def generated_items(real: Sequence[KbItem], size: int, *, seed: int = 7) -> tuple[KbItem, ...]:
    """`size` entries: the real ones first, then spliced questions (or the first `size` real)."""
    if size <= len(real):
        return tuple(real[:size])
    rng = random.Random(seed)
    tokenizer = jieba.Tokenizer()
    words = [tokenizer.lcut(item.question, HMM=False) for item in real]
    made: list[KbItem] = []
    for number in range(size - len(real)):
        head, tail = rng.choice(words), rng.choice(words)
        question = "".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :])
        donor = rng.choice(real)
        made.append(KbItem(f"gen{number:06d}", question, donor.answer, donor.department))
    return (*real, *made)


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
        started, started_cpu = time.perf_counter(), time.thread_time()
        await engine.decide(query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def bench_answer(
    real: Sequence[KbItem],
    queries: Sequence[str],
    *,
    backend: str = "builtin",
    sizes: Sequence[int] = DEFAULT_SIZES,
    settings: NluSettings | None = None,
) -> dict[str, Any]:
    """Build time, resident memory growth and p50/p99 decision latency per knowledge-base size.

    Latency is wall-clock on one core; `cpu_p99_ms` is the same in CPU time, for machines where
    other processes compete for the core.
    """
    settings = settings or NluSettings()
    results: list[dict[str, Any]] = []
    for size in sizes:
        items = generated_items(real, size)
        gc.collect()
        before = _resident_mb()
        engine = create_nlu(backend, settings)
        started = time.perf_counter()
        engine.load(KbSnapshot(items=items))
        build_s = time.perf_counter() - started
        wall, cpu = asyncio.run(_timed(engine, queries))
        results.append(
            {
                "entries": len(items),
                "build_s": round(build_s, 3),
                "memory_mb": round(_resident_mb() - before, 1),
                "p50_ms": round(float(np.percentile(wall, 50)), 3),
                "p99_ms": round(float(np.percentile(wall, 99)), 3),
                "cpu_p99_ms": round(float(np.percentile(cpu, 99)), 3),
                "queries": len(queries),
            }
        )
        del engine
    return {"backend": backend, "sizes": results}


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
