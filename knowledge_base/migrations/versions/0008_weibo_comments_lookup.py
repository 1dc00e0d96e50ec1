"""Hotline look-ups; Weibo and WeChat comments with their cursors, drafted replies and audit trail.

Revision ID: 0008_weibo_comments_lookup
Revises: 0007
Create Date: 2026-11-30 18:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_weibo_comments_lookup"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "hotline_lookups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("entry_code", sa.String(length=64), nullable=False),
        sa.Column("referral", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "open",
                "satisfied",
                "transferred",
                name="lookupoutcome",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_hotline_lookups_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_lookups")),
    )
    op.create_index(
        op.f("ix_hotline_lookups_operator"), "hotline_lookups", ["operator"], unique=False
    )
    op.create_index(
        op.f("ix_hotline_lookups_department_id"), "hotline_lookups", ["department_id"], unique=False
    )
    op.create_index(
        op.f("ix_hotline_lookups_created_at"), "hotline_lookups", ["created_at"], unique=False
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index(op.f("ix_hotline_lookups_created_at"), table_name="hotline_lookups")
    op.drop_index(op.f("ix_hotline_lookups_department_id"), table_name="hotline_lookups")
    op.drop_index(op.f("ix_hotline_lookups_operator"), table_name="hotline_lookups")
    op.drop_table("hotline_lookups")
