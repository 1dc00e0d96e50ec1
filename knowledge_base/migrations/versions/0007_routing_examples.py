"""Labelled routing examples for the department classifier.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "routing_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_examples")),
    )
    op.create_index(
        op.f("ix_routing_examples_department"), "routing_examples", ["department"], unique=False
    )
    op.create_index(
        op.f("ix_routing_examples_created_at"), "routing_examples", ["created_at"], unique=False
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index(op.f("ix_routing_examples_created_at"), table_name="routing_examples")
    op.drop_index(op.f("ix_routing_examples_department"), table_name="routing_examples")
    op.drop_table("routing_examples")
