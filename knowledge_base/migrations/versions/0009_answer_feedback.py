"""Citizens' "was this helpful" votes per entry version (anonymised).

Revision ID: 0009_answer_feedback
Revises: 0008_weibo_comments_lookup
Create Date: 2026-11-30 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_answer_feedback"
down_revision: str | None = "0008_weibo_comments_lookup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_code", sa.String(length=64), nullable=False),
        sa.Column("entry_version", sa.Integer(), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_feedback")),
        sa.UniqueConstraint("reply_id", name=op.f("uq_answer_feedback_reply_id")),
    )
    op.create_index(
        op.f("ix_answer_feedback_entry_code"), "answer_feedback", ["entry_code"], unique=False
    )
    op.create_index(
        op.f("ix_answer_feedback_created_at"), "answer_feedback", ["created_at"], unique=False
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index(op.f("ix_answer_feedback_created_at"), table_name="answer_feedback")
    op.drop_index(op.f("ix_answer_feedback_entry_code"), table_name="answer_feedback")
    op.drop_table("answer_feedback")
