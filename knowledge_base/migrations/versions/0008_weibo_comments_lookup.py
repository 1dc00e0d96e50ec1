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

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_code", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("post_id", sa.String(length=128), nullable=False),
        sa.Column("author_id", sa.String(length=128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("entry_code", sa.String(length=64), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "awaiting_approval",
                "replied",
                "rejected",
                "hidden",
                "no_reply",
                "failed",
                name="commentstate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("public_reply", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
        sa.UniqueConstraint("account_code", "external_id", name=op.f("uq_comments_account_code")),
    )
    op.create_index(op.f("ix_comments_account_code"), "comments", ["account_code"], unique=False)
    op.create_index(op.f("ix_comments_created_at"), "comments", ["created_at"], unique=False)
    op.create_index(op.f("ix_comments_state"), "comments", ["state"], unique=False)
    op.create_table(
        "comment_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_comment_actions_comment_id_comments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_actions")),
    )
    op.create_index(
        op.f("ix_comment_actions_comment_id"), "comment_actions", ["comment_id"], unique=False
    )
    op.create_table(
        "comment_cursors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_code", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=128), nullable=False),
        sa.Column("cursor", sa.String(length=4000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_cursors")),
        sa.UniqueConstraint("account_code", "scope", name=op.f("uq_comment_cursors_account_code")),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("comment_cursors")
    op.drop_index(op.f("ix_comment_actions_comment_id"), table_name="comment_actions")
    op.drop_table("comment_actions")
    op.drop_index(op.f("ix_comments_state"), table_name="comments")
    op.drop_index(op.f("ix_comments_created_at"), table_name="comments")
    op.drop_index(op.f("ix_comments_account_code"), table_name="comments")
    op.drop_table("comments")
    op.drop_index(op.f("ix_hotline_lookups_created_at"), table_name="hotline_lookups")
    op.drop_index(op.f("ix_hotline_lookups_department_id"), table_name="hotline_lookups")
    op.drop_index(op.f("ix_hotline_lookups_operator"), table_name="hotline_lookups")
    op.drop_table("hotline_lookups")
