"""Monthly series for the trend charts: a scope's indicators, and one unit's against the
district with its rank in its group. Every point is the same figure the pages show for that
month (read through the cached reports), so a trend never disagrees with a table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.domain.league import rank_units
from dashboard.domain.periods import Period, month, parse_period
from dashboard.services import context, figures
from dashboard.services.cache import memoize_once
from dashboard.services.report import LEAGUE_GROUPS, UnitReport, needs_anchor
from dashboard.services.standing import league_value

MONTHS = 12


def months_up_to(period: Period, first_day: dt.date | None, n: int = MONTHS) -> list[Period]:
    """The `n` months ending with the month of the period's end, from the data's first month."""
    out: list[Period] = []
    y, m = period.end.year, period.end.month
    while len(out) < n:
        p = month(y, m)
        if first_day is not None and p.end < first_day:
            break
        out.append(p)
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def scope_series(
    version: str,
    period: Period,
    first_day: dt.date | None,
    units: tuple[str, ...] = (),
    filter_key: figures.FilterKey = figures.NO_FILTER,
) -> list[tuple[Period, UnitReport]]:
    """The scope's report for each month up to the period's end, on the period's units (a
    month before a reorganization sums the units that formed them)."""
    return [
        (m, figures.scope_report(version, m.key, units, filter_key, anchor(m, period)))
        for m in months_up_to(period, first_day)
    ]


def anchor(month: Period, period: Period) -> str | None:
    """`period`'s key when `month` must be reported on `period`'s units, else None (the
    month's own figures, shared by every page that shows that month)."""
    engine = context.get().reader()
    return period.key if needs_anchor(engine, month, period, figures.monitoring_scope()) else None


@dataclass(frozen=True)
class UnitMonth:
    """One month of a unit's trend."""

    period: Period
    unit: UnitReport | None  # None: the unit did not exist that month (and nothing before it)
    district: UnitReport
    rank: int | None
    ranked: int  # units with a rank in the group that month


def unit_series(
    version: str, period: Period, first_day: dt.date | None, unit_id: int
) -> list[UnitMonth]:
    """A unit version's figures, the district's, and its 766 rank in its group, month by
    month (cached: unpickling twelve district reports on every view costs more than the page)."""
    return _unit_series(version, period.key, first_day, unit_id)


@memoize_once
def _unit_series(version: str, period_key: str, first_day: dt.date | None, unit_id: int):
    period = parse_period(period_key)
    out = []
    for m in months_up_to(period, first_day):
        rep = figures.district_report(version, m.key, anchor(m, period))
        mine = rep.by_id().get(unit_id)
        rank, ranked = None, 0
        group = next(
            (kinds for kinds in LEAGUE_GROUPS.values() if mine and mine.unit.kind in kinds), None
        )
        if mine is not None and group is not None:
            peers = [r for r in rep.units if r.unit.kind in group]
            values = {r.unit.id: league_value(r, None) for r in peers}
            places = {x.unit_id: x.rank for x in rank_units(values, {}, True, list(values))}
            rank = places.get(unit_id)
            ranked = sum(1 for v in places.values() if v is not None)
        out.append(UnitMonth(m, mine, rep.parent, rank, ranked))
    return out
