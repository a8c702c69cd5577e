"""unit versions: units keyed by id (code + validity), links for reorganizations, every
reference re-pointed; bare-date flags and a digest on dossiers; the GSO codes of Nam
Sách's 1/12/2024 units

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 03:00:00

A code names different units over time, so `units.code` can no longer be a key. This revision
gives every unit an integer id (code and valid_from unique together), turns successor codes
into `unit_links`, and re-points dossiers, targets, explanations and accounts from a code to
an id. Rollups are dropped and recreated empty: the next start rebuilds them from the dossiers
(data_access.bootstrap.ensure_rollups), so no figure is carried over from the old keys.

Then it corrects the codes that the shipped Nam Sách reference data got wrong (GSO lists of
1/12/2024): the merged Quốc Tuấn is 10621 (Thanh Quang's code; 10624 ended on 30/11/2024),
Trần Phú is 10633 and An Phú 10645, not the local 29101 / 29102. Quốc Tuấn's dossiers received
from 1/12/2024 move to the new version, with its later explanations and its accounts; its
targets apply to both versions. Nothing is deleted.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MERGER_DAY = dt.date(2024, 12, 1)
MEASURES = (
    "received",
    "received_online",
    "received_fee",
    "received_fee_paid_online",
    "received_digitized",
    "received_reused",
    "finished",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "resolved_e_result",
    "withdrawn_or_returned",
    "returned",
    "paused_open",
    "overdue_start",
    "overdue_end",
    "online_submitted",
    "online_answered_6h",
)


def _units() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The new table takes the primary key's name (an index name, unique per schema).
        op.execute("ALTER TABLE units RENAME CONSTRAINT pk_units TO pk_units_old")
    op.rename_table("units", "units_old")
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name="fk_units_parent_id_units"),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.UniqueConstraint("code", "valid_from", name="uq_units_code_valid_from"),
    )
    op.create_index("ix_units_code", "units", ["code"])
    op.create_index("ix_units_parent_id", "units", ["parent_id"])
    op.execute(
        "INSERT INTO units (code, name, kind, valid_from, valid_to, sort_order) "
        "SELECT code, name, kind, valid_from, valid_to, sort_order FROM units_old "
        "ORDER BY sort_order, code"
    )
    op.execute(
        "UPDATE units SET parent_id = (SELECT p.id FROM units_old o JOIN units p "
        "ON p.code = o.parent_code WHERE o.code = units.code)"
    )
    op.create_table(
        "unit_links",
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("carries_dossiers", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["predecessor_id"], ["units.id"], name="fk_unit_links_predecessor_id_units"
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"], ["units.id"], name="fk_unit_links_successor_id_units"
        ),
        sa.PrimaryKeyConstraint("predecessor_id", "successor_id", name="pk_unit_links"),
    )
    op.execute(
        sa.text(
            "INSERT INTO unit_links (predecessor_id, successor_id, carries_dossiers) "
            "SELECT a.id, b.id, :yes FROM units_old o JOIN units a ON a.code = o.code "
            "JOIN units b ON b.code = o.successor_code"
        ).bindparams(sa.bindparam("yes", True, type_=sa.Boolean))
    )


def _repoint(table: str, *, nullable: bool, drop: list[tuple[str, str]], add) -> None:
    """Give `table` a unit_id filled from its unit_code, then drop unit_code."""
    op.add_column(table, sa.Column("unit_id", sa.Integer(), nullable=True))
    op.execute(
        f"UPDATE {table} SET unit_id = (SELECT u.id FROM units u WHERE u.code = {table}.unit_code)"
    )
    with op.batch_alter_table(table) as batch:
        for name, kind in drop:
            if kind == "index":
                batch.drop_index(name)
            else:
                batch.drop_constraint(name, type_=kind)
        batch.drop_column("unit_code")
        batch.alter_column("unit_id", existing_type=sa.Integer(), nullable=nullable)
        batch.create_foreign_key(f"fk_{table}_unit_id_units", "units", ["unit_id"], ["id"])
        add(batch)


def _rollups() -> None:
    for name, bucket in (("rollup_daily", "day"), ("rollup_monthly", "month")):
        op.drop_table(name)
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("unit_id", sa.Integer(), nullable=False),
            sa.Column("field_id", sa.Integer(), nullable=True),
            sa.Column("procedure_code", sa.String(length=32), nullable=True),
            sa.Column("channel", sa.SmallInteger(), nullable=False),
            sa.Column(bucket, sa.Date(), nullable=False),
            *[sa.Column(m, sa.Integer(), server_default="0", nullable=False) for m in MEASURES],
            sa.ForeignKeyConstraint(["field_id"], ["fields.id"], name=f"fk_{name}_field_id_fields"),
            sa.ForeignKeyConstraint(
                ["procedure_code"], ["procedures.code"], name=f"fk_{name}_procedure_code_procedures"
            ),
            sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=f"fk_{name}_unit_id_units"),
            sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        )
        op.create_index(f"ix_{name}_{bucket}_unit", name, [bucket, "unit_id"])
        op.create_index(f"ix_{name}_unit_{bucket}", name, ["unit_id", bucket])


def _period_end(key: str) -> dt.date:
    from dashboard.domain.periods import parse_period

    return parse_period(key).end


def _correct_nam_sach_codes() -> None:
    """The GSO codes of 1/12/2024, on a database loaded with the earlier reference data."""
    conn = op.get_bind()
    units = sa.table(
        "units",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("parent_id", sa.Integer),
        sa.column("valid_from", sa.Date),
        sa.column("valid_to", sa.Date),
        sa.column("sort_order", sa.Integer),
    )
    links = sa.table(
        "unit_links",
        sa.column("predecessor_id", sa.Integer),
        sa.column("successor_id", sa.Integer),
        sa.column("carries_dossiers", sa.Boolean),
    )
    dossiers = sa.table(
        "dossiers",
        sa.column("unit_id", sa.Integer),
        sa.column("received_at", sa.DateTime),
        sa.column("submitted_at", sa.DateTime),
    )
    targets = sa.table(
        "targets",
        sa.column("indicator", sa.String),
        sa.column("value", sa.Float),
        sa.column("effective_from", sa.Date),
        sa.column("unit_id", sa.Integer),
        sa.column("source", sa.String),
    )
    explanations = sa.table(
        "explanations", sa.column("id", sa.Integer), sa.column("unit_id", sa.Integer),
        sa.column("period", sa.String),
    )  # fmt: skip
    users = sa.table("users", sa.column("unit_id", sa.Integer))

    def version(code: str, name: str) -> sa.Row | None:
        return conn.execute(
            sa.select(units).where(units.c.code == code, units.c.name == name)
        ).first()

    for local, gso, name in (("29101", "10633", "Trần Phú"), ("29102", "10645", "An Phú")):
        if version(local, name) is not None:
            conn.execute(sa.update(units).where(units.c.code == local).values(code=gso))

    old = version("10624", "Quốc Tuấn")
    if old is None or old.valid_to is None or old.valid_to < MERGER_DAY:
        return  # already split, or not the shipped Nam Sách data
    conn.execute(
        sa.insert(units).values(
            code="10621",
            name="Quốc Tuấn",
            kind=old.kind,
            parent_id=old.parent_id,
            valid_from=MERGER_DAY,
            valid_to=old.valid_to,
            sort_order=old.sort_order,
        )
    )
    new_id = conn.execute(
        sa.select(units.c.id).where(units.c.code == "10621", units.c.valid_from == MERGER_DAY)
    ).scalar_one()
    conn.execute(
        sa.update(units)
        .where(units.c.id == old.id)
        .values(valid_to=MERGER_DAY - dt.timedelta(days=1))
    )
    conn.execute(  # Thanh Quang merged into the new version, not into the old Quốc Tuấn
        sa.update(links).where(links.c.successor_id == old.id).values(successor_id=new_id)
    )
    conn.execute(
        sa.insert(links).values(predecessor_id=old.id, successor_id=new_id, carries_dossiers=True)
    )
    day = sa.func.coalesce(dossiers.c.received_at, dossiers.c.submitted_at)
    conn.execute(
        sa.update(dossiers)
        .where(
            dossiers.c.unit_id == old.id,
            day >= sa.bindparam("merger", dt.datetime.combine(MERGER_DAY, dt.time()), sa.DateTime),
        )
        .values(unit_id=new_id)
    )
    for row in conn.execute(sa.select(targets).where(targets.c.unit_id == old.id)).all():
        conn.execute(sa.insert(targets).values({**row._mapping, "unit_id": new_id}))
    for row in conn.execute(
        sa.select(explanations.c.id, explanations.c.period).where(explanations.c.unit_id == old.id)
    ).all():
        if _period_end(row.period) >= MERGER_DAY:
            conn.execute(
                sa.update(explanations).where(explanations.c.id == row.id).values(unit_id=new_id)
            )
    conn.execute(sa.update(users).where(users.c.unit_id == old.id).values(unit_id=new_id))


def upgrade() -> None:
    _units()
    _repoint(
        "dossiers",
        nullable=False,
        drop=[("uq_dossiers_unit_code_code", "unique"), ("ix_dossiers_unit_received", "index")],
        add=lambda b: (
            b.create_unique_constraint("uq_dossiers_unit_id_code", ["unit_id", "code"]),
            b.create_index("ix_dossiers_unit_received", ["unit_id", "received_at"]),
            b.add_column(
                sa.Column("day_only", sa.SmallInteger(), server_default="0", nullable=False)
            ),
            b.add_column(sa.Column("row_hash", sa.BigInteger(), nullable=True)),
        ),
    )
    _repoint("targets", nullable=True, drop=[], add=lambda b: None)
    _repoint(
        "explanations",
        nullable=False,
        drop=[
            ("uq_explanations_unit_period", "unique"),
            ("ix_explanations_unit_code", "index"),
        ],
        add=lambda b: (
            b.create_unique_constraint(
                "uq_explanations_unit_period", ["unit_id", "period", "indicator"]
            ),
            b.create_index("ix_explanations_unit_id", ["unit_id"]),
        ),
    )
    _repoint("users", nullable=True, drop=[], add=lambda b: None)
    _rollups()
    _correct_nam_sach_codes()
    op.drop_table("units_old")


def downgrade() -> None:
    raise NotImplementedError("unit versions cannot be folded back into one row per code")
