"""Initial knowledge base schema: departments, accounts, entries, versions, synonyms, audit.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 23:11:53.376066
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_target"), ["target"], unique=False)

    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("master", "department", name="departmentkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("remit", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("leader_name", sa.String(length=100), nullable=False),
        sa.Column("leader_phone", sa.String(length=64), nullable=False),
        sa.Column("liaison_name", sa.String(length=100), nullable=False),
        sa.Column("liaison_phone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("code", name=op.f("uq_departments_code")),
        sa.UniqueConstraint("name", name=op.f("uq_departments_name")),
    )
    op.create_table(
        "fallback_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fallback_contacts")),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "wechat_official",
                "wechat_mini",
                "weibo",
                "douyin",
                "toutiao",
                "telegram",
                "web",
                "app",
                name="platform",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active", "suspended", "closed", name="accountstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("suspended_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("last_post_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_accounts_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("code", name=op.f("uq_accounts_code")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accounts_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            "uq_accounts_live_department_platform",
            ["department_id", "platform"],
            unique=True,
            sqlite_where=sa.text("status != 'closed'"),
            postgresql_where=sa.text("status != 'closed'"),
        )

    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "in_review",
                "published",
                "retired",
                name="entrystatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("live_version_number", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_entries_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entries")),
        sa.UniqueConstraint("code", name=op.f("uq_entries_code")),
    )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entries_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entries_status"), ["status"], unique=False)

    op.create_table(
        "synonym_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical", sa.String(length=100), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_synonym_groups_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonym_groups")),
    )
    with op.batch_alter_table("synonym_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_synonym_groups_department_id"), ["department_id"], unique=False
        )

    op.create_table(
        "entry_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("contributors", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("editing", "in_review", name="draftstate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("alternates", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=1000), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name=op.f("fk_entry_drafts_entry_id_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_drafts")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_entry_drafts_entry_id")),
    )
    op.create_table(
        "entry_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("alternates", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=1000), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_entry_versions_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name=op.f("fk_entry_versions_entry_id_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_versions")),
        sa.UniqueConstraint("entry_id", "number", name=op.f("uq_entry_versions_entry_id")),
    )
    with op.batch_alter_table("entry_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_versions_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "open",
                "change",
                "suspend",
                "resume",
                "close",
                name="filingaction",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_filings_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filings")),
    )
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filings_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    """Revert this migration."""

    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_filings_account_id"))

    op.drop_table("filings")
    with op.batch_alter_table("entry_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_versions_entry_id"))

    op.drop_table("entry_versions")
    op.drop_table("entry_drafts")
    with op.batch_alter_table("synonym_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synonym_groups_department_id"))

    op.drop_table("synonym_groups")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entries_status"))
        batch_op.drop_index(batch_op.f("ix_entries_department_id"))

    op.drop_table("entries")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_accounts_live_department_platform",
            sqlite_where=sa.text("status != 'closed'"),
            postgresql_where=sa.text("status != 'closed'"),
        )
        batch_op.drop_index(batch_op.f("ix_accounts_department_id"))

    op.drop_table("accounts")
    op.drop_table("fallback_contacts")
    op.drop_table("departments")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_target"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
