"""Differences between the published version and a draft, field by field and line by line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

FIELD_NAMES = {
    "question": "问题",
    "alternates": "其他问法",
    "answer": "答案",
    "tags": "标签",
    "source_title": "来源标题",
    "source_url": "来源链接",
    "valid_from": "生效日期",
    "valid_until": "失效日期",
}


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line: kept ("same"), added ("add") or removed ("del")."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """The changed lines of one field."""

    name: str
    lines: tuple[DiffLine, ...]


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value).splitlines()


def _line_diff(old: list[str], new: list[str]) -> tuple[DiffLine, ...]:
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine("same", text) for text in old[a1:a2]]
            continue
        lines += [DiffLine("del", text) for text in old[a1:a2]]
        lines += [DiffLine("add", text) for text in new[b1:b2]]
    return tuple(lines)


def content_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ (all of them when nothing was published yet)."""
    diffs = []
    for field, name in FIELD_NAMES.items():
        before = _lines(old.get(field)) if old else []
        after = _lines(new.get(field))
        if before != after:
            diffs.append(FieldDiff(name, _line_diff(before, after)))
    return diffs
