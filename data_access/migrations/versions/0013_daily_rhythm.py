"""the daily rhythm: scheduled runs, inbox files, mail recipients and deliveries

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 17:30:00

The inbox imports files by itself, one scheduler runs the daily jobs and mail goes out: each
table's unique key is what makes a run, an import or a message happen once. The same file
imported again while nothing changed is answered without reading it (imports.content_key,
imports.data_version).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same file imported again while nothing changed is answered without reading it.
    op.add_column("imports", sa.Column("content_key", sa.String(length=64), nullable=True))
    op.add_column("imports", sa.Column("data_version", sa.String(length=32), nullable=True))
    op.add_column("imports", sa.Column("has_history", sa.Boolean(), nullable=True))
    op.create_index("ix_imports_content_key", "imports", ["content_key"])
    op.create_table(
        "scheduled_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_runs"),
        sa.UniqueConstraint("job", "slot", name="uq_scheduled_runs_job"),
    )
    op.create_index("ix_scheduled_runs_slot", "scheduled_runs", ["slot"])
    op.create_table(
        "inbox_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("moved_to", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_files"),
        sa.UniqueConstraint("file_hash", name="uq_inbox_files_file_hash"),
    )
    op.create_table(
        "mail_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_recipients"),
        sa.UniqueConstraint("email", "unit_code", "role", name="uq_mail_recipients_email"),
    )
    op.create_table(
        "mail_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_deliveries"),
        sa.UniqueConstraint("kind", "day", "email", "unit_code", name="uq_mail_deliveries_kind"),
    )


def downgrade() -> None:
    op.drop_index("ix_imports_content_key", table_name="imports")
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("has_history")
        batch.drop_column("data_version")
        batch.drop_column("content_key")
    op.drop_table("mail_deliveries")
    op.drop_table("mail_recipients")
    op.drop_table("inbox_files")
    op.drop_index("ix_scheduled_runs_slot", table_name="scheduled_runs")
    op.drop_table("scheduled_runs")
