"""Synonym groups: the file format (`config/synonyms.yaml`, loaded into the knowledge base by
`govbot init` and `govbot kb synonyms`) and the canonical map the engine builds from the groups
of its snapshot, the one copy it reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from nlu.normalize import match_form
from nlu.snapshot import SynonymGroup


def read_synonyms(path: Path) -> tuple[SynonymGroup, ...]:
    """Parse a synonyms file; a missing file gives no groups.

    Same shapes as the knowledge base's loader: a list of groups, or a mapping with `groups` (or
    `global`) and `departments` (department name → groups); a group is a mapping with `canonical`
    and `variants`, or a list of words whose first is canonical.
    """
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if isinstance(data, list):
        data = {"groups": data}
    groups = [_group(g, None) for g in data.get("groups") or data.get("global") or ()]
    for department, department_groups in (data.get("departments") or {}).items():
        groups.extend(_group(g, str(department)) for g in department_groups or ())
    return tuple(groups)


def _group(raw: Any, department: str | None) -> SynonymGroup:
    if isinstance(raw, dict):
        words = [str(raw["canonical"]), *(str(v) for v in raw.get("variants") or ())]
    else:
        words = [str(w) for w in raw]
    return SynonymGroup(canonical=words[0], variants=tuple(words[1:]), department=department)


def canonical_map(groups: Iterable[SynonymGroup]) -> Mapping[str, str]:
    """Map every normalised variant (and canonical) to its normalised canonical form.

    Later groups win on conflicts.
    Department-scoped groups apply everywhere: matching must not depend on which account is asked.
    """
    mapping: dict[str, str] = {}
    for group in groups:
        canonical = match_form(group.canonical)
        if not canonical:
            continue
        mapping[canonical] = canonical
        for variant in group.variants:
            form = match_form(variant)
            if form:
                mapping[form] = canonical
    return mapping
