"""Departments' aliases: the other names citizens call a unit by (城管 for 综合行政执法局).

Revision ID: 0010_department_aliases
Revises: 0009_answer_feedback
Create Date: 2026-12-01 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_department_aliases"
down_revision: str | None = "0009_answer_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    # A plain ADD COLUMN (no table copy): SQLite cannot drop a table other tables point to.
    op.add_column(
        "departments",
        sa.Column("aliases", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_column("departments", "aliases")
