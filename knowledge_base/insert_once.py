"""Inserts that leave out rows clashing with a unique key, on PostgreSQL and on SQLite."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.orm import Session

from knowledge_base.models import Base


def insert_once(
    session: Session, model: type[Base], key: list[str] | None = None
) -> PostgresInsert | SqliteInsert:
    """An insert into `model`'s table that does nothing for a row whose `key` columns (any
    unique key when None) match an existing row (ON CONFLICT DO NOTHING, in the session's
    dialect)."""
    table = cast(Table, model.__table__)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=key)
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=key)
