"""Recording changes in the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge_base.models import AuditRecord


def record_change(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str,
    target: str,
    detail: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one audit record in the caller's transaction."""
    row = AuditRecord(
        actor=actor, action=action, target_type=target_type, target=target, detail=detail or {}
    )
    session.add(row)
    return row


def change_counter(session: Session) -> int:
    """A number that grows with every recorded change; engines reload when it moves."""
    return session.scalar(select(func.coalesce(func.max(AuditRecord.id), 0))) or 0
