"""Trend series: the months they cover, and that every point is the figure the pages and the
CLI give for that month (ranks as in `tthc league`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, select

from dashboard.domain.periods import month, parse_period
from dashboard.services import report, standing, trends
from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import queries
from data_access.models import Unit


def test_twelve_months_end_with_the_periods_last_month() -> None:
    got = trends.months_up_to(parse_period("2025-Q1"), dt.date(2024, 1, 2))
    assert [m.key for m in got] == [
        "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09",
        "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03",
    ]  # fmt: skip


def test_months_before_the_data_are_left_out() -> None:
    got = trends.months_up_to(parse_period("2024-03-15"), dt.date(2024, 1, 2))
    assert [m.key for m in got] == ["2024-01", "2024-02", "2024-03"]


def test_unit_series_points_equal_the_monthly_reports_and_league(
    demo_url: str, demo_engine: Engine, tmp_path: Path
) -> None:
    app = create_app(Settings(database_url=demo_url, instance_dir=tmp_path, demo_on_empty=False))
    code = "10636"  # An Sơn
    with demo_engine.connect() as conn:
        an_son = conn.execute(select(Unit.id).where(Unit.code == code)).scalar_one()
    with app.server.app_context():
        version = queries.data_version(demo_engine)
        series = trends.unit_series(version, parse_period("2025-Q1"), dt.date(2024, 1, 2), an_son)
    assert [m.period for m in series][-3:] == [month(2025, 1), month(2025, 2), month(2025, 3)]
    for point in series[-3:]:
        direct = report.compute(demo_engine, point.period, [code])
        assert point.unit.indicators == direct.units[0].indicators
        league = standing.league(demo_engine, point.period, "xa")
        assert point.rank == next(r.ranked.rank for r in league if r.ranked.unit_id == an_son)
        assert point.ranked == sum(1 for r in league if r.ranked.rank is not None)
        whole = report.compute(demo_engine, point.period)
        assert point.district.indicators == whole.parent.indicators
