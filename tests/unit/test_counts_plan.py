"""How a period's running totals are read: the cheapest of the ways each point allows.

The figures themselves are checked against the raw rules in
tests/indicators/test_rollup_properties.py for random ranges; here, which rows are read.
"""

from __future__ import annotations

import datetime as dt

from data_access.counts import Point, plan, ways

D = dt.date
HORIZON = D(2026, 10, 1)


def test_a_month_end_is_its_month_total() -> None:
    assert ways(D(2024, 2, 29), HORIZON) == [Point(D(2024, 2, 29), D(2024, 2, 1), None)]


def test_a_day_after_the_horizon_cannot_subtract_from_its_month() -> None:
    # November 2026 has no month-end row yet: only the month before plus the days.
    assert ways(D(2026, 11, 27), HORIZON) == [
        Point(D(2026, 11, 27), D(2026, 10, 1), (D(2026, 11, 1), D(2026, 11, 27)))
    ]


def test_inside_one_month_both_points_share_the_month_before() -> None:
    # 03/06-17/06: May's totals, then 1-17/06 in one stretch (17 days, one query, one month)
    # rather than 1-2/06 and 17-30/06 from May's and June's totals (16 days, two, two).
    got = plan(D(2025, 6, 3), D(2025, 6, 17), HORIZON)
    assert got["end"] == Point(D(2025, 6, 17), D(2025, 5, 1), (D(2025, 6, 1), D(2025, 6, 17)))
    assert got["before_start"] == Point(
        D(2025, 6, 2), D(2025, 5, 1), (D(2025, 6, 1), D(2025, 6, 2))
    )


def test_late_in_a_month_the_month_total_less_the_days_after() -> None:
    got = plan(D(2024, 2, 3), D(2024, 11, 27), HORIZON)
    assert got["end"] == Point(
        D(2024, 11, 27), D(2024, 11, 1), (D(2024, 11, 28), D(2024, 11, 30)), -1
    )
    assert got["before_start"] == Point(
        D(2024, 2, 2), D(2024, 1, 1), (D(2024, 2, 1), D(2024, 2, 2))
    )


def test_whole_months_read_no_day_but_the_last() -> None:
    got = plan(D(2025, 1, 1), D(2025, 3, 31), HORIZON)
    assert got["end"].days is None and got["before_start"].days is None
    assert (got["end"].month, got["before_start"].month) == (D(2025, 3, 1), D(2024, 12, 1))
