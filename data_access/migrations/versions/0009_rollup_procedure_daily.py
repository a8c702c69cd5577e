"""rollup_procedure_daily: the daily counts per unit, field and procedure (channels summed)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 08:00:00

The 766 score's procedure usage and the field and procedure filters read, for a period that
cuts a month, the daily counts per unit and procedure. rollup_daily also splits them by
channel; summed over channels they are about half the rows, stored with each unit's days
together. The table is filled here from rollup_daily and kept in step with it by every write
(data_access/rollups.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MEASURES = (
    "received", "received_online", "received_fee", "received_fee_paid_online",
    "received_digitized", "received_reused", "finished", "resolved", "resolved_on_time",
    "resolved_late", "resolved_e_result", "withdrawn_or_returned", "returned", "paused_open",
    "overdue_start", "overdue_end", "online_submitted", "online_answered_6h", "resolved_early",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "rollup_procedure_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=True),
        sa.Column("procedure_code", sa.String(length=32), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        *[sa.Column(m, sa.Integer(), server_default="0", nullable=False) for m in MEASURES],
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_rollup_procedure_daily_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["field_id"], ["fields.id"], name=op.f("fk_rollup_procedure_daily_field_id_fields")
        ),
        sa.ForeignKeyConstraint(
            ["procedure_code"],
            ["procedures.code"],
            name=op.f("fk_rollup_procedure_daily_procedure_code_procedures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_procedure_daily")),
    )
    cols = ", ".join(MEASURES)
    sums = ", ".join(f"sum({m})" for m in MEASURES)
    keys = "unit_id, field_id, procedure_code, day"
    # in (unit, day) order, so each unit's days lie together from the start
    op.execute(
        f"INSERT INTO rollup_procedure_daily ({keys}, {cols}) "
        f"SELECT {keys}, {sums} FROM rollup_daily GROUP BY {keys} ORDER BY unit_id, day"
    )
    op.create_index(
        "ix_rollup_procedure_daily_unit_day", "rollup_procedure_daily", ["unit_id", "day"]
    )


def downgrade() -> None:
    op.drop_index("ix_rollup_procedure_daily_unit_day", table_name="rollup_procedure_daily")
    op.drop_table("rollup_procedure_daily")
