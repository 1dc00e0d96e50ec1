"""Staff, duty roster, posts, account flags, the alert outbox and ticket deadlines.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 23:32:35.004427
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("duty", "leader", "supervisor", name="staffrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("telegram_chat_id", sa.String(length=64), nullable=False),
        sa.Column("wecom_user_id", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_staff_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("code", name=op.f("uq_staff_code")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_department_id"), ["department_id"], unique=False)

    op.create_table(
        "account_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("flagged_on", sa.Date(), nullable=False),
        sa.Column("days_without_post", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_account_flags_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_flags")),
        sa.UniqueConstraint(
            "account_id", "rule", "flagged_on", name=op.f("uq_account_flags_account_id")
        ),
    )
    with op.batch_alter_table("account_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_flags_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "duty_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_duty_shifts_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_duty_shifts_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_shifts")),
        sa.UniqueConstraint(
            "department_id", "day", "staff_id", name=op.f("uq_duty_shifts_department_id")
        ),
    )
    with op.batch_alter_table("duty_shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_shifts_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_duty_shifts_department_id"), ["department_id"], unique=False
        )

    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("forwards_post_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_posts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["forwards_post_id"], ["posts.id"], name=op.f("fk_posts_forwards_post_id_posts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("account_id", "external_id", name=op.f("uq_posts_account_id")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index("ix_posts_account_posted", ["account_id", "posted_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_posts_forwards_post_id"), ["forwards_post_id"], unique=False
        )

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("firing", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("notifier", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "sent", "failed", name="alertstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("provider_message_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_alerts_staff_id_staff")),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_alerts_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("firing", "staff_id", "notifier", name=op.f("uq_alerts_firing")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_ticket_id"), ["ticket_id"], unique=False)

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ack_due", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("warn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("answered_by", sa.String(length=200), nullable=False))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False))
        batch_op.create_index("ix_tickets_status_ack_due", ["status", "ack_due"], unique=False)
        batch_op.create_index(
            "ix_tickets_status_resolution_due", ["status", "resolution_due"], unique=False
        )
        batch_op.create_index("ix_tickets_status_warn_at", ["status", "warn_at"], unique=False)


def downgrade() -> None:
    """Revert this migration."""

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_status_warn_at")
        batch_op.drop_index("ix_tickets_status_resolution_due")
        batch_op.drop_index("ix_tickets_status_ack_due")
        batch_op.drop_column("note")
        batch_op.drop_column("answered_by")
        batch_op.drop_column("first_response_at")
        batch_op.drop_column("warn_at")
        batch_op.drop_column("ack_due")

    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_ticket_id"))
        batch_op.drop_index("ix_alerts_due")

    op.drop_table("alerts")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_forwards_post_id"))
        batch_op.drop_index("ix_posts_account_posted")

    op.drop_table("posts")
    with op.batch_alter_table("duty_shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_shifts_department_id"))
        batch_op.drop_index(batch_op.f("ix_duty_shifts_day"))

    op.drop_table("duty_shifts")
    with op.batch_alter_table("account_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_flags_account_id"))

    op.drop_table("account_flags")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_department_id"))

    op.drop_table("staff")
