"""data version: one row that every write changes, read by every cache key

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 08:00:00

Cached figures are keyed by this token. Before, the key was the newest import's id, so a new
target, a rebuild of the rollups or a reference load kept serving old figures until an import.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_data_state"),
    )
    op.bulk_insert(table, [{"id": 1, "version": uuid.uuid4().hex, "changed_at": None}])


def downgrade() -> None:
    op.drop_table("data_state")
