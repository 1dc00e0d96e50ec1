"""Statements for several processes writing at once, on PostgreSQL and on SQLite: inserts
that leave out rows clashing with a unique key, and leases of due rows."""

from __future__ import annotations

from typing import TypeVar, cast

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.orm import Session

from knowledge_base.models import Alert, Base, Message

Leased = TypeVar("Leased", Alert, Message)


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


def lock_oldest(
    session: Session, model: type[Leased], *conditions: ColumnElement[bool], limit: int
) -> list[Leased]:
    """The oldest `limit` rows of `model` meeting `conditions`, locked for this transaction
    (rows another process holds are skipped on PostgreSQL)."""
    return list(
        session.scalars(
            select(model)
            .where(*conditions)
            .order_by(model.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=model)
        )
    )
