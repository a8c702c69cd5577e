"""The early warning's entry: the open dossiers that need action as of a day, the outlook of
the running month and quarter, and how fresh the data are (the page, its Excel files,
`tthc warnings` and the digest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dashboard.domain import clock
from dashboard.domain.query import ViewQuery
from dashboard.domain.warnings import DEFAULT_DAYS
from dashboard.services import context, early_warning, figures, report, viewer
from dashboard.services.cache import memoize_once


# -- Early warning ---------------------------------------------------------------------------
@dataclass(frozen=True)
class WarningView:
    """The morning's list (`/canh-bao`, its Excel files, `tthc warnings`, the digest): the
    warnings as of the day, the outlook of the running month and quarter, and how fresh the
    data is."""

    query: ViewQuery
    warnings: early_warning.Warnings
    outlooks: list[early_warning.UnitOutlook]
    newest: dt.datetime | None
    missing_day: dt.date | None  # the last working day the data does not reach yet

    @property
    def shown(self) -> list[early_warning.Warned]:
        """The warned dossiers of the classes the query asks for."""
        wanted = set(self.query.classes)
        return [w for w in self.warnings.dossiers if not wanted or w.klass in wanted]


def warnings(q: ViewQuery, outlook: bool = True, dossiers: bool = True) -> WarningView:
    """The early warning as of the query's day (default: the newest day of the data); without
    `outlook`, no running-period figures (`tthc warnings` prints none: two reports saved);
    without `dossiers`, the counts only (the overview's card: a city's list of open dossiers
    costs 30 ms to take out of the cache, the counts nothing)."""
    _first, newest = figures.data_range()
    as_of = dt.date.fromisoformat(q.as_of) if q.as_of else (newest or clock.now()).date()
    days = q.days if q.days is not None else DEFAULT_DAYS
    q = replace(q, as_of=as_of.isoformat(), days=days)
    version = figures.data_version()
    w = (_warnings if dossiers else _warning_counts)(version, q.as_of, q.units, q.filter_key, days)
    looks = _outlooks(version, q.as_of, q.units, q.filter_key, days) if outlook else []
    scope = viewer.current()
    if scope.unit_only:  # the scope's totals, and its own unit's counts and list
        w = replace(
            w,
            units=[u for u in w.units if scope.may_see_unit(u.unit.id)],
            dossiers=[d for d in w.dossiers if scope.may_see_unit(d.unit.id)],
        )
        looks = [o for o in looks if o.unit.id == 0 or scope.may_see_unit(o.unit.id)]
    calendar = context.get().settings.work_calendar()
    last_working = clock.today() - dt.timedelta(days=1)
    while not calendar.is_working_day(last_working):
        last_working -= dt.timedelta(days=1)
    newest_day = newest.date() if newest else None
    missing = last_working if newest_day is None or newest_day < last_working else None
    return WarningView(q, w, looks, newest, missing)


@memoize_once
def _outlooks(
    version: str,
    as_of: str,
    units: tuple[str, ...],
    filter_key: figures.FilterKey,
    days: int,
) -> list[early_warning.UnitOutlook]:
    """The running month's and quarter's outlooks (cached apart: the page's second visit
    reads them, not the district reports and the list of open dossiers they come from)."""
    w = _warning_counts(version, as_of, units, filter_key, days)
    so_far = {
        name: figures.district_report(version, f"{p.start}:{as_of}", None, filter_key)
        for name, p in w.periods.items()
    }
    return early_warning.outlooks(w, so_far)


@memoize_once
def _warning_counts(
    version: str,
    as_of: str,
    units: tuple[str, ...],
    filter_key: figures.FilterKey,
    days: int,
) -> early_warning.Warnings:
    return replace(_warnings(version, as_of, units, filter_key, days), dossiers=[])


@memoize_once
def _warnings(
    version: str,
    as_of: str,
    units: tuple[str, ...],
    filter_key: figures.FilterKey,
    days: int,
) -> early_warning.Warnings:
    ctx = context.get()
    engine = ctx.reader()
    with engine.connect() as conn:
        filters = report.resolve_filters(conn, *filter_key)
    return early_warning.compute(
        engine,
        dt.date.fromisoformat(as_of),
        ctx.settings.work_calendar(),
        units,
        filters,
        figures.monitoring_scope(),
        days,
    )
