"""Validating the rows of a tabular file (roster, post log) against a model, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from knowledge_base.entry_files import read_rows
from knowledge_base.importing import ImportRejected, RowError

T = TypeVar("T", bound=BaseModel)


def validated_rows(
    path: Path,
    model: type[T],
    *,
    check: Callable[[T], str | None] = lambda _: None,
    rename: Callable[[dict[str, Any]], dict[str, Any]] = lambda data: data,
) -> list[T]:
    """Every row of `path` as `model`; `check` may refuse a valid row with a reason. Raises
    ImportRejected naming each bad row, so callers write nothing unless all rows are good."""
    rows: list[T] = []
    errors: list[RowError] = []
    for raw in read_rows(path):
        if raw.data is None:
            errors.append(RowError(raw.where, raw.problem))
            continue
        try:
            row = model.model_validate(rename(raw.data))
        except ValidationError as exc:
            first = exc.errors()[0]
            errors.append(
                RowError(raw.where, f"{'.'.join(map(str, first['loc']))}：{first['msg']}")
            )
            continue
        problem = check(row)
        if problem:
            errors.append(RowError(raw.where, problem))
        rows.append(row)
    if errors:
        raise ImportRejected(errors)
    return rows
