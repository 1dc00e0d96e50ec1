"""The engine's vector cache in the database: vectors survive restarts and are shared by workers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import CursorResult, delete, select

from knowledge_base.concurrent_writes import insert_once
from knowledge_base.db import Database
from knowledge_base.models.vectors import TextVector

_CHUNK = 500


class DatabaseVectorStore:
    """`nlu.vectors.VectorStore` over the `text_vectors` table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def load(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors among `keys`."""
        found: dict[str, np.ndarray] = {}
        with self.database.session() as session:
            for start in range(0, len(keys), _CHUNK):
                rows = session.execute(
                    select(TextVector.text_key, TextVector.vector).where(
                        TextVector.model_id == model_id,
                        TextVector.text_key.in_(keys[start : start + _CHUNK]),
                    )
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def save(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Insert new vectors; keys another worker stored meanwhile are left as they are."""
        if not vectors:
            return
        now = datetime.now(UTC)
        rows = [
            {
                "model_id": model_id,
                "text_key": key,
                "dim": int(vector.shape[0]),
                "vector": np.asarray(vector, dtype=np.float32).tobytes(),
                "created_at": now,
            }
            for key, vector in vectors.items()
        ]
        with self.database.session() as session:
            statement = insert_once(session, TextVector)
            for start in range(0, len(rows), _CHUNK):
                session.execute(statement.values(rows[start : start + _CHUNK]))


def drop_vectors(database: Database, *, model_id: str | None = None) -> int:
    """Forget stored vectors (of one model, or all); returns how many were removed."""
    with database.session() as session:
        statement = delete(TextVector)
        if model_id is not None:
            statement = statement.where(TextVector.model_id == model_id)
        result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
        return int(result.rowcount or 0)
