"""the whole 766 score: the catalogue, feedback, satisfaction and sync counts; dossier extras

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 20:30:00

The score reaches 100 points with the files an office holds besides the dossier list: the
province's procedure catalogue (effective-dated), the PAKN export, satisfaction votes and the
portal's monthly sync counts. Dossiers gain what the sync format says for the 766 digitization
and on-time formulas (data from the national store, VNeID, how often supplements were asked).
The rollups gain three measures: they start at 0, so they are emptied here and rebuilt from
the dossiers by the next `prepare_database` (as in 0007). Row digests now cover the new
columns, so the old ones are cleared (a re-import compares the columns instead).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ROLLUPS = (
    "rollup_daily",
    "rollup_monthly",
    "rollup_unit_daily",
    "rollup_unit_monthly",
    "rollup_procedure_daily",
    "rollup_procedure_monthly",
)
NEW_MEASURES = ("received_national_store", "online_vneid", "resolved_on_time_766")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=f"fk_{table}_{column}_{ref}")


def upgrade() -> None:
    op.add_column(
        "imports",
        sa.Column("kind", sa.String(length=16), server_default="dossiers", nullable=False),
    )
    for name in ("national_store", "vneid"):
        op.add_column(
            "dossiers", sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.add_column(
        "dossiers",
        sa.Column("supplement_count", sa.SmallInteger(), server_default="0", nullable=False),
    )
    # A dossier asked for supplements at least once, as far as the old columns know.
    op.execute("UPDATE dossiers SET supplement_count = 1 WHERE supplement_requested_at IS NOT NULL")
    op.execute("UPDATE dossiers SET row_hash = NULL")
    for table in ROLLUPS:
        for m in NEW_MEASURES:
            op.add_column(table, sa.Column(m, sa.Integer(), server_default="0", nullable=False))
        op.execute(f"DELETE FROM {table}")

    op.create_table(
        "procedure_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("field_name", sa.String(length=200), nullable=False),
        sa.Column("online_level", sa.String(length=12), nullable=False),
        sa.Column("has_fee", sa.Boolean(), nullable=False),
        sa.Column("payment_integrated", sa.Boolean(), nullable=False),
        sa.Column("paper_result", sa.Boolean(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("parts_published", sa.SmallInteger(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        _fk("procedure_versions", "import_id", "imports.id"),
        sa.PrimaryKeyConstraint("id", name="pk_procedure_versions"),
        sa.UniqueConstraint("code", "effective_from", name="uq_procedure_versions_code"),
    )
    op.create_index("ix_procedure_versions_code", "procedure_versions", ["code"])
    op.create_index("ix_procedure_versions_import_id", "procedure_versions", ["import_id"])
    op.create_table(
        "feedback_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        _fk("feedback_items", "unit_id", "units.id"),
        _fk("feedback_items", "import_id", "imports.id"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback_items"),
        sa.UniqueConstraint("unit_id", "code", name="uq_feedback_items_unit_id"),
    )
    op.create_index("ix_feedback_items_unit_id", "feedback_items", ["unit_id"])
    op.create_index("ix_feedback_items_import_id", "feedback_items", ["import_id"])
    op.create_table(
        "satisfaction_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("satisfied", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        _fk("satisfaction_votes", "unit_id", "units.id"),
        _fk("satisfaction_votes", "import_id", "imports.id"),
        sa.PrimaryKeyConstraint("id", name="pk_satisfaction_votes"),
        sa.UniqueConstraint(
            "unit_id", "month", "dossier_code", name="uq_satisfaction_votes_unit_id"
        ),
    )
    op.create_index("ix_satisfaction_votes_unit_id", "satisfaction_votes", ["unit_id"])
    op.create_index("ix_satisfaction_votes_import_id", "satisfaction_votes", ["import_id"])
    op.create_table(
        "sync_counts",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("synced", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        _fk("sync_counts", "unit_id", "units.id"),
        _fk("sync_counts", "import_id", "imports.id"),
        sa.PrimaryKeyConstraint("unit_id", "month", name="pk_sync_counts"),
    )
    op.create_index("ix_sync_counts_import_id", "sync_counts", ["import_id"])


def downgrade() -> None:
    for table in ("sync_counts", "satisfaction_votes", "feedback_items", "procedure_versions"):
        op.drop_table(table)
    for table in ROLLUPS:
        with op.batch_alter_table(table) as batch_op:
            for m in NEW_MEASURES:
                batch_op.drop_column(m)
    with op.batch_alter_table("dossiers") as batch_op:
        for name in ("national_store", "vneid", "supplement_count"):
            batch_op.drop_column(name)
    with op.batch_alter_table("imports") as batch_op:
        batch_op.drop_column("kind")
