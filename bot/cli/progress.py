"""A progress bar for long embedding runs, shown only once a run has taken 2 s."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from nlu.vectors import Progress as ProgressCallback

_SHOW_AFTER_S = 2.0


@contextmanager
def embedding_progress(label: str = "正在计算语义向量") -> Iterator[ProgressCallback]:
    """A `(done, total)` callback that draws a rich progress bar on stderr after 2 s."""
    started = time.perf_counter()
    bar: Progress | None = None
    task = None

    def report(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.perf_counter() - started < _SHOW_AFTER_S:
                return
            bar = Progress(
                f"[bold]{label}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=False,
            )
            bar.start()
            task = bar.add_task(label, total=total)
        assert task is not None
        bar.update(task, completed=done, total=total)

    try:
        yield report
    finally:
        if bar is not None:
            bar.stop()
