"""Honest delivery: urgency kept on outbox rows, retry state of replies to citizens.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.add_column(
            sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(
            sa.Column("delivery_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("delivery_error", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("delivery_next_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_messages_redelivery", ["delivery", "delivery_next_at"])


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_index("ix_messages_redelivery")
        batch_op.drop_column("delivery_next_at")
        batch_op.drop_column("delivery_error")
        batch_op.drop_column("delivery_attempts")
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.drop_column("urgent")
