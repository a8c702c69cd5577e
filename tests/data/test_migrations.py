"""Databases built at every earlier schema revision, with the reference data shipped then,
upgrade in place to unit versions: nothing lost, everything re-pointed to the right version.

Each database is filled at its revision through that revision's own columns (unit codes as
keys, the local codes 29101/29102, Quốc Tuấn as 10624 until 30/6/2025), then started as the
app starts. Expected values are written by hand from the crafted rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, select

from dashboard.domain.periods import parse_period
from dashboard.services import report
from data_access.bootstrap import prepare_database
from data_access.db import SCHEMA_REVISION, alembic_config, make_engine
from data_access.models import Dossier, Explanation, Target, Unit, UnitLink, User
from data_access.queries import all_units
from data_access.writer import store_dossiers

OLD_UNITS = Path(__file__).with_name("units_before_0004.csv")
_names = itertools.count()
HEAD = SCHEMA_REVISION  # the newest revision (data_access/migrations/versions)
D = dt.datetime

units_0001 = sa.table(
    "units",
    *[sa.column(c, sa.String) for c in ("code", "name", "kind", "parent_code", "successor_code")],
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("sort_order", sa.Integer),
)
dossiers_0001 = sa.table(
    "dossiers",
    *[sa.column(c, sa.String) for c in ("unit_code", "code", "procedure_code", "status")],
    sa.column("channel", sa.SmallInteger),
    *[sa.column(c, sa.DateTime) for c in ("submitted_at", "received_at", "due_at", "finished_at")],
    *[
        sa.column(c, sa.Boolean)
        for c in ("has_fee", "paid_online", "digitized", "e_result", "reused_data")
    ],
)
targets_0001 = sa.table(
    "targets",
    sa.column("indicator", sa.String),
    sa.column("value", sa.Float),
    sa.column("effective_from", sa.Date),
    sa.column("unit_code", sa.String),
)
explanations_0001 = sa.table(
    "explanations",
    *[sa.column(c, sa.String) for c in ("unit_code", "period", "indicator", "status", "author")],
    *[sa.column(c, sa.Text) for c in ("text", "remediation_plan")],
    *[sa.column(c, sa.DateTime) for c in ("created_at", "updated_at")],
)
users_0003 = sa.table(
    "users",
    *[sa.column(c, sa.String) for c in ("username", "full_name", "password_hash", "role")],
    sa.column("unit_code", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime),
)

# (unit code as stored before, dossier code, received) — every one resolved on time.
DOSSIERS = [
    ("10624", "QT-NOV", D(2024, 11, 20, 8)),  # Quốc Tuấn before the merger: stays 10624
    ("10624", "QT-DEC", D(2024, 12, 5, 8)),  # after it: the merged Quốc Tuấn, 10621
    ("10624", "QT-MAR", D(2025, 3, 5, 8)),
    ("10621", "TQ-NOV", D(2024, 11, 21, 8)),  # Thanh Quang
    ("29101", "TP-JAN", D(2025, 1, 7, 8)),  # Trần Phú: 29101 becomes 10633
    ("29101", "TP-FEB", D(2025, 2, 7, 8)),
    ("29102", "AP-MAR", D(2025, 3, 7, 8)),  # An Phú: 29102 becomes 10645
    ("10633", "NT-OCT", D(2024, 10, 7, 8)),  # Nam Trung
    ("10657", "DL-MAR", D(2025, 3, 10, 8)),  # Đồng Lạc: untouched
]


def _old_units() -> list[dict]:
    with open(OLD_UNITS, encoding="utf-8") as fh:
        return [
            {
                **r,
                "parent_code": r["parent_code"] or None,
                "successor_code": r["successor_code"] or None,
                "valid_from": dt.date.fromisoformat(r["valid_from"]),
                "valid_to": dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
                "sort_order": int(r["sort_order"]),
            }
            for r in csv.DictReader(fh)
        ]


def _build_at(engine: Engine, revision: str) -> None:
    """A database at `revision`, filled as the app of that time filled it."""
    command.upgrade(alembic_config(engine), revision)
    with engine.begin() as conn:
        rows = _old_units()
        conn.execute(
            sa.insert(units_0001), [r | {"parent_code": None, "successor_code": None} for r in rows]
        )
        for r in rows:
            conn.execute(
                sa.update(units_0001)
                .where(units_0001.c.code == r["code"])
                .values(parent_code=r["parent_code"], successor_code=r["successor_code"])
            )
        conn.execute(sa.text("INSERT INTO fields (name) VALUES ('Hộ tịch')"))
        conn.execute(
            sa.text(
                "INSERT INTO procedures (code, name, field_id, level, has_fee, online) "
                "SELECT '1.001193', 'Đăng ký khai sinh', id, 'xa', :no, :no FROM fields"
            ).bindparams(sa.bindparam("no", False, sa.Boolean))
        )
        conn.execute(
            sa.insert(dossiers_0001),
            [
                {
                    "unit_code": unit,
                    "code": code,
                    "procedure_code": "1.001193",
                    "status": "resolved",
                    "channel": 1,
                    "submitted_at": received,
                    "received_at": received,
                    "due_at": received + dt.timedelta(days=1),
                    "finished_at": received + dt.timedelta(hours=3),
                    "has_fee": False,
                    "paid_online": False,
                    "digitized": True,
                    "e_result": True,
                    "reused_data": False,
                }
                for unit, code, received in DOSSIERS
            ],
        )
        conn.execute(
            sa.insert(targets_0001),
            [
                {"indicator": "online_submission", "value": 0.6,
                 "effective_from": dt.date(2024, 1, 1), "unit_code": "10624"},
                {"indicator": "online_submission", "value": 0.7,
                 "effective_from": dt.date(2025, 1, 1), "unit_code": "29101"},
            ],
        )  # fmt: skip
        at = D(2025, 4, 2, 9)
        conn.execute(
            sa.insert(explanations_0001),
            [
                {"unit_code": code, "period": period, "indicator": "online_submission",
                 "status": "requested", "author": "Văn phòng", "text": "", "remediation_plan": "",
                 "created_at": at, "updated_at": at}
                for code, period in (("10624", "2024-10"), ("10624", "2025-Q1"),
                                     ("29101", "2025-Q1"))
            ],
        )  # fmt: skip
        if revision >= "0003":
            conn.execute(
                sa.insert(users_0003).values(
                    username="quoctuan", full_name="", password_hash="x", role="don_vi",
                    unit_code="10624", active=True, created_at=at,
                )
            )  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / f'old-{next(_names)}.sqlite3'}"
    return request.getfixturevalue("pg_server").create_database(f"old{next(_names)}")


@pytest.mark.parametrize("revision", ["0001", "0002", "0003"])
def test_an_old_database_upgrades_in_place(url: str, revision: str) -> None:
    engine = make_engine(url)
    _build_at(engine, revision)
    engine.dispose()
    engine = prepare_database(url, demo_on_empty=False)  # what every start does
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        where = {
            code: (unit_code, name, valid_from)
            for code, unit_code, name, valid_from in conn.execute(
                select(Dossier.code, Unit.code, Unit.name, Unit.valid_from).join(
                    Unit, Unit.id == Dossier.unit_id
                )
            )
        }
        start, merger = dt.date(1997, 1, 1), dt.date(2024, 12, 1)
        assert where == {
            "QT-NOV": ("10624", "Quốc Tuấn", start),
            "QT-DEC": ("10621", "Quốc Tuấn", merger),
            "QT-MAR": ("10621", "Quốc Tuấn", merger),
            "TQ-NOV": ("10621", "Thanh Quang", start),
            "TP-JAN": ("10633", "Trần Phú", merger),
            "TP-FEB": ("10633", "Trần Phú", merger),
            "AP-MAR": ("10645", "An Phú", merger),
            "NT-OCT": ("10633", "Nam Trung", start),
            "DL-MAR": ("10657", "Đồng Lạc", start),
        }
        # The local codes are gone; 10624 ended with the merger.
        assert not conn.execute(select(Unit.id).where(Unit.code.in_(["29101", "29102"]))).all()
        ended = conn.execute(select(Unit.valid_to).where(Unit.code == "10624")).scalar_one()
        assert ended == dt.date(2024, 11, 30)
        old, new = sa.orm.aliased(Unit), sa.orm.aliased(Unit)
        into_quoc_tuan = conn.execute(
            select(old.name, old.code)
            .join(UnitLink, UnitLink.predecessor_id == old.id)
            .join(new, new.id == UnitLink.successor_id)
            .where(new.code == "10621", new.valid_from == merger)
        ).all()
        assert sorted(tuple(r) for r in into_quoc_tuan) == [
            ("Quốc Tuấn", "10624"),
            ("Thanh Quang", "10621"),
        ]
        unit_of = select(Unit.code, Unit.valid_from).where(Unit.id == sa.bindparam("i"))
        targets = sorted(
            (t.value, *conn.execute(unit_of, {"i": t.unit_id}).one())
            for t in conn.execute(select(Target))
        )
        # Quốc Tuấn's target applies to both its versions; Trần Phú's to its one.
        assert targets == [
            (0.6, "10621", merger),
            (0.6, "10624", start),
            (0.7, "10633", merger),
        ]
        explained = sorted(
            (e.period, *conn.execute(unit_of, {"i": e.unit_id}).one())
            for e in conn.execute(select(Explanation))
        )
        assert explained == [
            ("2024-10", "10624", start),  # a period before the merger stays with the old unit
            ("2025-Q1", "10621", merger),
            ("2025-Q1", "10633", merger),
        ]
        if revision >= "0003":
            user_unit = conn.execute(select(User.unit_id)).scalar_one()
            assert conn.execute(unit_of, {"i": user_unit}).one() == ("10621", merger)
    # The figures come from the re-pointed dossiers (rollups rebuilt at start).
    q1 = report.compute(engine, parse_period("2025-Q1"))
    received = {
        (u.unit.code, u.unit.name): u.indicators["online_submission"].denominator
        for u in q1.units
        if u.indicators["online_submission"].denominator
    }
    assert received == {
        ("10621", "Quốc Tuấn"): 1,
        ("10633", "Trần Phú"): 2,
        ("10645", "An Phú"): 1,
        ("10657", "Đồng Lạc"): 1,
    }
    assert q1.parent.indicators["online_submission"].denominator == 5
    # Every crafted dossier was resolved three hours after reception, due the next day: early.
    assert q1.parent.counts["resolved_early"] == 5
    engine.dispose()


def test_rollups_of_0006_are_rebuilt_with_the_early_count(url: str) -> None:
    """A database at 0006 with its rollups (no "resolved early" column) upgrades: the column
    is added and every count is rebuilt from the dossiers."""
    engine = prepare_database(url, demo_on_empty=False)
    with engine.connect() as conn:
        units = {u.code: u.id for u in all_units(conn).values() if u.valid_on(D(2025, 3, 3).date())}
    rows = [
        # resolved the day before its due day: early; on its due day: on time; after: late
        {"code": "E", "finished_at": D(2025, 3, 4, 9), "due_at": D(2025, 3, 5, 17)},
        {"code": "O", "finished_at": D(2025, 3, 5, 16), "due_at": D(2025, 3, 5, 17)},
        {"code": "L", "finished_at": D(2025, 3, 6, 9), "due_at": D(2025, 3, 5, 17)},
    ]
    with engine.begin() as conn:
        store_dossiers(
            conn,
            [
                r | {"unit_id": units["10606"], "procedure_code": "1.001193", "field_id": None,
                     "channel": 1, "status": "resolved", "received_at": D(2025, 3, 3, 8)}
                for r in rows
            ],
        )  # fmt: skip
    command.downgrade(alembic_config(engine), "0006")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM rollup_daily")).scalar() > 0
    engine.dispose()
    engine = prepare_database(url, demo_on_empty=False)
    march = report.compute(engine, parse_period("2025-03")).parent.counts
    assert (march["resolved_early"], march["resolved_on_time"], march["resolved_late"]) == (
        1,
        2,
        1,
    )
    engine.dispose()


def test_the_migrations_build_exactly_the_models(url: str) -> None:
    """A database built by the migrations has every table, column and index the models
    declare, and nothing else (a model change without its migration fails here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from data_access.models import Base

    assert ScriptDirectory.from_config(alembic_config(url)).get_current_head() == HEAD
    engine = prepare_database(url, demo_on_empty=False)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []
