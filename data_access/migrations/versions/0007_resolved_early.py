"""resolved early: the rollups count dossiers resolved before their due day (Biểu 06)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 06:00:00

Biểu số 06/VPCP/KSTT splits the resolved dossiers into "trước hạn" and "đúng hạn". The new
column starts at 0, so the rollups are emptied here and rebuilt from the dossiers by the next
`prepare_database` (`ensure_rollups`: a database with dossiers and no rollups), which every
writing command and the server run at start.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("rollup_daily", "rollup_monthly")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("resolved_early", sa.Integer(), server_default="0", nullable=False)
        )
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("resolved_early")
