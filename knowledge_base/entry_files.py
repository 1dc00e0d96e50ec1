"""Reading and writing entry files: JSONL, YAML, CSV and XLSX, each row tagged with where it stands.

Lists (alternate wordings, tags) are JSON/YAML lists, or one item per line inside a CSV/XLSX cell.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook

from knowledge_base.errors import KbError
from knowledge_base.models.entries import CONTENT_FIELDS

# An entry file's columns: the entry's code and department, then what a version holds.
FIELDS = ("code", "department", *CONTENT_FIELDS)
LIST_FIELDS = ("alternates", "tags")
FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".xlsx": "xlsx",
}


@dataclass(frozen=True, slots=True)
class RawRow:
    """One record of a file before validation; `where` names its line or sheet row."""

    where: str
    data: dict[str, Any] | None
    problem: str = ""


def file_format(path: Path) -> str:
    """The format named by the file's extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise KbError(
            f"不支持的文件格式 {path.suffix or '(无扩展名)'}，请使用 .jsonl .yaml .csv .xlsx"
        ) from None


def read_rows(path: Path) -> list[RawRow]:
    """All records of an entry file, in order."""
    kind = file_format(path)
    if not path.is_file():
        raise KbError(f"找不到文件 {path}")
    try:
        if kind == "xlsx":
            return _read_xlsx(path)
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KbError(f"文件 {path.name} 不是 UTF-8 编码") from None
    except (OSError, ValueError) as exc:
        raise KbError(f"无法读取文件 {path.name}：{exc}") from None
    if kind == "jsonl":
        return _read_jsonl(text)
    if kind == "yaml":
        return _read_yaml(text)
    return _read_csv(text)


def _read_jsonl(text: str) -> list[RawRow]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"第 {number} 行"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(RawRow(where, None, f"不是有效的 JSON（{exc.msg}）"))
            continue
        if not isinstance(data, dict):
            rows.append(RawRow(where, None, "每行必须是一个 JSON 对象"))
            continue
        rows.append(RawRow(where, data))
    return rows


def _read_yaml(text: str) -> list[RawRow]:
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader_class)
    except yaml.YAMLError as exc:
        raise KbError(f"YAML 格式错误：{exc}") from None
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        # Accept {"entries": [...]} as well as a bare list.
        items = [v for k, v in root.value if getattr(k, "value", None) == "entries"]
        root = items[0] if items else root
    if not isinstance(root, yaml.SequenceNode):
        raise KbError("YAML 文件必须是条目列表")
    rows = []
    constructor = yaml.SafeLoader("")
    for node in root.value:
        where = f"第 {node.start_mark.line + 1} 行"
        data = constructor.construct_document(node)
        if isinstance(data, dict):
            rows.append(RawRow(where, _stringify_keys(data)))
        else:
            rows.append(RawRow(where, None, "每个条目必须是键值对"))
    return rows


# A spreadsheet runs a cell that starts like this as a formula (formula injection). CSV cells get
# a leading apostrophe, which spreadsheets show as text and reading a CSV here takes off again;
# XLSX cells are stored as strings, never as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_value(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _read_csv(text: str) -> list[RawRow]:
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return []
    rows = []
    start = reader.line_num + 1
    for record in reader:
        where = f"第 {start} 行"
        start = reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            rows.append(RawRow(where, None, f"列数 {len(record)} 与表头列数 {len(header)} 不一致"))
            continue
        cells = [_csv_value(cell) for cell in record]
        rows.append(RawRow(where, _drop_empty(dict(zip(header, cells, strict=True)))))
    return rows


def _read_xlsx(path: Path) -> list[RawRow]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise KbError(f"无法读取 Excel 文件 {path.name}：{exc}") from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, ())]
    rows = []
    for number, record in enumerate(values, start=2):
        if all(cell is None or str(cell).strip() == "" for cell in record):
            continue
        cells = {h: _cell(v) for h, v in zip(header, record, strict=False) if h}
        rows.append(RawRow(f"工作表“{sheet.title}”第 {number} 行", _drop_empty(cells)))
    workbook.close()
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in data.items()
        if not (isinstance(v, str) and v.strip() == "") and v is not None
    }


def _stringify_keys(data: dict[Any, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in data.items()}


def write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write entry records in the format named by the extension; returns how many."""
    kind = file_format(path)
    records = [_ordered(row) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "jsonl":
        with path.open("w", encoding="utf-8") as out:
            for row in records:
                out.write(json.dumps(_jsonable(row), ensure_ascii=False) + "\n")
    elif kind == "yaml":
        path.write_text(
            yaml.safe_dump([_jsonable(r) for r in records], allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    elif kind == "csv":
        # utf-8-sig so that spreadsheet programs recognise the encoding.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(FIELDS)
            writer.writerows([_csv_text(_flat(row)[f]) for f in FIELDS] for row in records)
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "entries"
        sheet.append(list(FIELDS))
        for row in records:
            sheet.append([_flat(row)[f] for f in FIELDS])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"  # text that only looks like a formula
        workbook.save(path)
    return len(records)


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    return {f: row.get(f) for f in FIELDS}


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value in (None, "", []):
            continue
        out[key] = value.isoformat() if isinstance(value, date) else value
    return out


def _flat(row: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, value in row.items():
        if key in LIST_FIELDS:
            out[key] = "\n".join(value or [])
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = "" if value is None else str(value)
    return out
