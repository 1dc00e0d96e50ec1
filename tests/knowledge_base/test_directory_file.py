"""A referral directory file: departments' aliases are read; a malformed list is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.directory_file import read_directory
from knowledge_base.errors import KbError


def _directory(tmp_path: Path, aliases: str) -> Path:
    path = tmp_path / "directory.yaml"
    path.write_text(
        "departments:\n"
        "  - name: 县综合行政执法局\n"
        "    remit: 违章搭建、占道经营\n"
        f"    aliases: {aliases}\n",
        encoding="utf-8",
    )
    return path


def test_the_names_citizens_call_a_department_by_are_read(tmp_path: Path) -> None:
    directory = read_directory(_directory(tmp_path, "[城管, 城管局]"))
    assert directory.departments[0].aliases == ("城管", "城管局")


def test_aliases_that_are_not_a_list_of_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KbError, match="aliases"):
        read_directory(_directory(tmp_path, "城管"))
