"""Validating the rows of a tabular file (roster, post log) against a model, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from knowledge_base.entry_files import read_rows
from knowledge_base.importing import ImportRejected, RowError

T = TypeVar("T", bound=BaseModel)

# What was wrong with a cell, by pydantic's error type: staff read Chinese, not pydantic's English.
_PROBLEMS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "不是有效日期（应为 YYYY-MM-DD）",
    "date_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_inexact": "不是有效日期（应为 YYYY-MM-DD）",
    "datetime_type": "不是有效时间（应为 YYYY-MM-DD HH:MM）",
    "datetime_parsing": "不是有效时间（应为 YYYY-MM-DD HH:MM）",
    "datetime_from_date_parsing": "不是有效时间（应为 YYYY-MM-DD HH:MM）",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
}


def explain(error: ErrorDetails) -> str:
    """One cell's problem in Chinese, naming its column."""
    column = ".".join(map(str, error["loc"]))
    kind = error["type"]
    limits = error.get("ctx") or {}
    if kind == "missing":
        return f"缺少 {column}"
    if kind == "extra_forbidden":
        return f"未知的列 {column}"
    if kind == "string_too_short":
        least = limits.get("min_length", 1)
        return f"{column}：不能为空" if least <= 1 else f"{column}：至少 {least} 个字"
    if kind == "string_too_long":
        return f"{column}：最多 {limits.get('max_length')} 个字"
    if kind == "value_error":  # our own validators say it in Chinese
        return f"{column}：{error['msg'].removeprefix('Value error, ')}"
    return f"{column}：{_PROBLEMS.get(kind, '取值不符合要求')}"


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
            errors.append(RowError(raw.where, explain(exc.errors()[0])))
            continue
        problem = check(row)
        if problem:
            errors.append(RowError(raw.where, problem))
        rows.append(row)
    if errors:
        raise ImportRejected(errors)
    return rows
