"""rollup_unit_monthly, rollup_procedure_monthly: the month-end totals per unit, and per unit,
field and procedure

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 09:00:00

The month-end running totals summed over the keys a reading does not need, beside the daily
tables of 0008 and 0009: every unit's month reads one row per unit, the 766 procedure usage
one per unit and procedure. Filled here from rollup_monthly and kept in step with it by every
write (data_access/rollups.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MEASURES = (
    "received", "received_online", "received_fee", "received_fee_paid_online",
    "received_digitized", "received_reused", "finished", "resolved", "resolved_on_time",
    "resolved_late", "resolved_e_result", "withdrawn_or_returned", "returned", "paused_open",
    "overdue_start", "overdue_end", "online_submitted", "online_answered_6h", "resolved_early",
)  # fmt: skip


def _measures() -> list[sa.Column]:
    return [sa.Column(m, sa.Integer(), server_default="0", nullable=False) for m in MEASURES]


def upgrade() -> None:
    op.create_table(
        "rollup_unit_monthly",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        *_measures(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_rollup_unit_monthly_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "month", name=op.f("pk_rollup_unit_monthly")),
    )
    op.create_table(
        "rollup_procedure_monthly",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=True),
        sa.Column("procedure_code", sa.String(length=32), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        *_measures(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_rollup_procedure_monthly_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["field_id"], ["fields.id"], name=op.f("fk_rollup_procedure_monthly_field_id_fields")
        ),
        sa.ForeignKeyConstraint(
            ["procedure_code"],
            ["procedures.code"],
            name=op.f("fk_rollup_procedure_monthly_procedure_code_procedures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_procedure_monthly")),
    )
    op.create_index(
        "ix_rollup_procedure_monthly_unit_month",
        "rollup_procedure_monthly",
        ["unit_id", "month"],
    )
    cols = ", ".join(MEASURES)
    sums = ", ".join(f"sum({m})" for m in MEASURES)
    for table, keys in (
        ("rollup_unit_monthly", "unit_id, month"),
        ("rollup_procedure_monthly", "unit_id, field_id, procedure_code, month"),
    ):
        op.execute(
            f"INSERT INTO {table} ({keys}, {cols}) "
            f"SELECT {keys}, {sums} FROM rollup_monthly GROUP BY {keys}"
        )


def downgrade() -> None:
    op.drop_index("ix_rollup_procedure_monthly_unit_month", table_name="rollup_procedure_monthly")
    op.drop_table("rollup_procedure_monthly")
    op.drop_table("rollup_unit_monthly")
