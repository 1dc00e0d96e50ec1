"""Recording changes in the audit log, with ID and phone numbers in its texts masked (a draft's
question, a rejection comment, a transfer reason); what the change itself stored is untouched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.models import AuditRecord
from nlu.privacy import mask_personal_data


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


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
        actor=actor,
        action=action,
        target_type=target_type,
        target=target,
        detail=_masked(detail or {}),
    )
    session.add(row)
    return row


# Changes that cannot alter an answer, a referral or the accounts a channel serves: console
# users and their sign-ins, alert recipients, the duty roster, an account's posts. Every other
# change (and any kind added later) moves the change counter.
BESIDE_ANSWERS_TARGETS = ("console_user", "staff", "roster")
BESIDE_ANSWERS_ACTIONS = ("account.post",)


def change_counter(session: Session) -> int:
    """A number that grows with every recorded change that may alter answers; engines reload
    when it moves (reloading is expensive, so user and roster changes leave it be)."""
    newest = (
        select(AuditRecord.id)
        .where(
            AuditRecord.target_type.not_in(BESIDE_ANSWERS_TARGETS),
            AuditRecord.action.not_in(BESIDE_ANSWERS_ACTIONS),
        )
        # The newest such record by the primary key's index, without counting the log.
        .order_by(AuditRecord.id.desc())
        .limit(1)
    )
    return session.scalar(newest) or 0
