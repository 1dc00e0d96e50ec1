"""Reading a referral directory file: department remits and contacts, plus the fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from knowledge_base.departments import read_aliases
from knowledge_base.errors import KbError
from nlu.snapshot import Directory, DirectoryDepartment, Fallback


def read_directory(path: Path) -> Directory:
    """Parse a directory YAML file: `fallback` and a list of `departments` (name, remit,
    optional aliases and contacts)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KbError(f"无法读取部门目录 {path}：{exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("departments"), list):
        raise KbError(f"部门目录 {path} 缺少 departments 列表")
    departments = tuple(_department(d) for d in data["departments"])
    fallback_data = data.get("fallback") or {}
    fallback = Fallback(**{k: str(v) for k, v in fallback_data.items() if k in Fallback.__slots__})
    return Directory(departments=departments, fallback=fallback)


def _department(data: dict[str, Any]) -> DirectoryDepartment:
    if not isinstance(data, dict) or not data.get("name"):
        raise KbError("部门目录中的每个部门都需要 name")
    return DirectoryDepartment(
        name=str(data["name"]),
        remit=str(data.get("remit", "")),
        phone=str(data.get("phone", "")),
        address=str(data.get("address", "")),
        hours=str(data.get("hours", "")),
        aliases=tuple(read_aliases(data.get("aliases"), department=str(data["name"]))),
    )
