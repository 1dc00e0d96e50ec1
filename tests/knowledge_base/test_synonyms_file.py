"""`govbot kb synonyms`/`govbot init` load the synonyms file the engine reads, by the same rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from knowledge_base.db import Database
from knowledge_base.errors import KbError
from knowledge_base.models import Department, SynonymGroupRow
from knowledge_base.sample_county import load_synonyms_file


def test_groups_load_with_their_department_and_bad_ones_are_refused(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "global:\n  - [医保, 医疗保险]\n"
        "departments:\n  县公安局:\n    - {canonical: 户籍, variants: [户口]}\n",
        encoding="utf-8",
    )
    with db.session() as session:
        session.add(Department(code="gaj", name="县公安局"))
        session.flush()
        assert load_synonyms_file(session, path=path, actor="test") == 2
        rows = {r.canonical: r for r in session.scalars(select(SynonymGroupRow))}
        assert rows["医保"].variants == ["医疗保险"] and rows["医保"].department_id is None
        assert rows["户籍"].department_id is not None
        path.write_text("global:\n  - [孤词]\n", encoding="utf-8")
        with pytest.raises(KbError, match="至少需要两个词"):
            load_synonyms_file(session, path=path, actor="test")
        path.write_text("departments:\n  没有的局:\n    - [甲, 乙]\n", encoding="utf-8")
        with pytest.raises(KbError, match="没有的局"):
            load_synonyms_file(session, path=path, actor="test")
