"""The demo data on a real PostgreSQL server gives exactly the SQLite figures."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.domain.periods import parse_period
from dashboard.services import report, standing
from data_access.bootstrap import prepare_database
from data_access.demo import generate_demo

PERIODS = ("2025-Q1", "2024", "2025-03", "2025-06-30", "2024-11-20:2025-01-10")


def _figures(engine: Engine, period: str) -> dict:
    rep = report.compute(engine, parse_period(period))
    return {
        u.unit.code: (
            {k: (v.numerator, v.denominator) for k, v in u.indicators.items()},
            u.score.points,
        )
        for u in [rep.parent, *rep.units]
    }


def _officers(engine: Engine, period: str) -> dict:
    import datetime as dt

    from data_access import officer_counts
    from data_access.queries import all_units

    p = parse_period(period)
    with engine.connect() as conn:
        units = [u.id for u in all_units(conn).values() if u.valid_on(p.end)]
        out = {}
        for dim in ("o", "k", "d"):
            counts = officer_counts.member_counts(
                conn, p.start, p.end, units, dim, dt.datetime(2026, 12, 1)
            )
            names = (
                officer_counts.officer_names(conn, [int(m) for _, m in counts])
                if dim == "o"
                else {}
            )
            for (unit, member), f in counts.items():
                label = names[int(member)][0] if dim == "o" else member
                out[(dim, unit, label)] = f
    assert out
    return out


def _small_demo(url: str) -> Engine:
    engine = prepare_database(url, demo_on_empty=False)
    with engine.begin() as conn:
        # Every unit, year and history of the demo, a tenth of its rows: the same figures on
        # both engines is a property of the SQL, not of the volume.
        generate_demo(conn, seed=2025, scale=0.1)
    return engine


def test_demo_figures_equal_on_sqlite_and_postgresql(pg_server, tmp_path) -> None:
    lite = _small_demo(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    pg = _small_demo(pg_server.create_database("demo"))
    try:
        for period in PERIODS:
            a, b = _figures(lite, period), _figures(pg, period)
            assert a.keys() == b.keys()
            for unit in a:
                assert a[unit][0] == b[unit][0], (period, unit)
                assert (a[unit][1] is None) == (b[unit][1] is None)
                if a[unit][1] is not None:
                    assert abs(a[unit][1] - b[unit][1]) < 1e-9
        league_a = [r.report.unit.code for r in standing.league(lite, parse_period("2025-Q1"))]
        league_b = [r.report.unit.code for r in standing.league(pg, parse_period("2025-Q1"))]
        assert league_a == league_b
        # The officer figures too (the demo's histories from 1/7/2025), by name: ids differ.
        for period in ("2025-Q3", "2026-09"):
            assert _officers(lite, period) == _officers(pg, period)
    finally:
        pg.dispose()
        lite.dispose()
