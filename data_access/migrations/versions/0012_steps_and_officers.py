"""processing history: officers, aliases, steps, officer targets, per-day step counts; officer
accounts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 10:30:00

Every figure stopped at the unit. The national sync format carries each dossier's steps (who,
which department, what, when, the step's own deadline): they are stored here with what the
attribution rule works out, and summed per unit, officer / step kind / department, field and
day like the dossier rollups.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MEASURES = (
    "handled_in",
    "handled_out",
    "late_resolved",
    "overdue_start",
    "overdue_end",
    "steps_started",
    "steps_ended",
    "late_due",
    "late_ended",
    "online_submitted",
    "online_answered_6h",
)


def _counts() -> list[sa.Column]:
    return [sa.Column(m, sa.Integer(), server_default="0", nullable=False) for m in MEASURES]


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_officers_unit_id_units"),
        sa.PrimaryKeyConstraint("id", name="pk_officers"),
        sa.UniqueConstraint("unit_id", "key", name="uq_officers_unit_id_key"),
    )
    op.create_table(
        "officer_aliases",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name="fk_officer_aliases_officer_id_officers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["officers.id"],
            name="fk_officer_aliases_person_id_officers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("officer_id", name="pk_officer_aliases"),
    )
    op.create_index("ix_officer_aliases_person_id", "officer_aliases", ["person_id"])
    op.create_table(
        "steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(), nullable=True),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("work_minutes", sa.Float(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("responsible", sa.Boolean(), nullable=False),
        sa.Column("reception", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name="fk_steps_dossier_id_dossiers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_steps_unit_id_units"),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name="fk_steps_officer_id_officers"
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_steps_import_id_imports"),
        sa.PrimaryKeyConstraint("id", name="pk_steps"),
    )
    op.create_index("ix_steps_dossier_id", "steps", ["dossier_id"])
    op.create_index("ix_steps_unit_officer", "steps", ["unit_id", "officer_id"])
    op.create_index("ix_steps_unit_ended", "steps", ["unit_id", "ended_at"])
    op.create_index(
        "ix_steps_open_deadline",
        "steps",
        ["unit_id", "deadline_at"],
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "step_histories",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name="fk_step_histories_dossier_id_dossiers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dossier_id", name="pk_step_histories"),
    )
    op.create_table(
        "officer_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_officer_targets_unit_id_units"),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name="fk_officer_targets_officer_id_officers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_officer_targets"),
    )
    op.create_table(
        "step_daily",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("dim", sa.String(length=1), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_counts(),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_step_daily_unit_id_units"),
        sa.PrimaryKeyConstraint(
            "unit_id", "dim", "member", "field_id", "day", name="pk_step_daily"
        ),
    )
    op.create_table(
        "step_member_daily",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("dim", sa.String(length=1), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_counts(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name="fk_step_member_daily_unit_id_units"
        ),
        sa.PrimaryKeyConstraint("unit_id", "dim", "member", "day", name="pk_step_member_daily"),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("officer_key", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("officer_key")
    for table in (
        "step_member_daily",
        "step_daily",
        "officer_targets",
        "step_histories",
        "steps",
        "officer_aliases",
        "officers",
    ):
        op.drop_table(table)
