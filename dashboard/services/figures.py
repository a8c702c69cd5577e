"""The reports behind the views, cached by data version: one cache entry per period, filter
and scope, shared by every view that needs it (the overview's trend and the league both read
a month's district report once). Views reach these through `dashboard/services/entries.py`."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.formatting import vn_sort_key
from dashboard.domain.periods import parse_period
from dashboard.domain.scope import Scope, named
from dashboard.domain.units import RECEIVING_KINDS, UnitRow
from dashboard.services import context, report, standing
from dashboard.services.cache import memoize_once
from dashboard.services.report import Report, UnitReport
from dashboard.services.standing import BelowTarget, LeagueRow
from data_access import queries
from data_access.queries import ProblemDossier

FilterKey = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]
NO_FILTER: FilterKey = ((), (), ())


def monitoring_scope() -> Scope:
    """The monitoring scope the app's settings name, with the names a one-unit scope takes
    from the catalog ("31" is Thành phố Hải Phòng)."""
    return _named_scope(data_version(), context.get().settings.scope)


@memoize_once
def _named_scope(version: str, setting: str) -> Scope:
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    return named(context.get().settings.monitoring_scope(), units)


@memoize_once
def period_units(version: str, period_key: str) -> tuple[list[UnitRow], list[UnitRow]]:
    """The receiving units of the period's era, communes first then departments, each in
    Vietnamese order; and the units that ended before the period whose dossiers count for
    one of them (predecessors after a merger), in the same order."""
    p = parse_period(period_key)
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    try:
        _era, members = report.scope_members(monitoring_scope(), units, p)
    except report.ScopeError:
        return [], []
    member_ids = {u.id for u in members}
    folded = report.fold_map(units, members)
    former = [
        units[uid]
        for uid, target in folded.items()
        if uid not in member_ids and target in member_ids and units[uid].kind in RECEIVING_KINDS
    ]

    def order(u: UnitRow) -> tuple:
        return (u.kind == "department", vn_sort_key(u.name), u.valid_from)

    return sorted(members, key=order), sorted(former, key=order)


def data_version() -> str:
    """The database's data version (renewed by every write; every cache key starts with it)."""
    return queries.data_version(context.get().reader())


def _filters(key: FilterKey) -> report.Filters:
    with context.get().reader().connect() as conn:
        return report.resolve_filters(conn, *key)


@memoize_once
def scope_report(
    version: str,
    period_key: str,
    units: tuple[str, ...],
    filter_key: FilterKey,
    as_of: str | None = None,
) -> UnitReport:
    """The scope's figures (the whole scope, one unit or several counted together); with
    `as_of`, on the units of that period's era (a trend before a merger)."""
    if not units:  # the whole scope: the parent of the district report, computed once
        return district_report(version, period_key, as_of, filter_key).parent
    anchor = parse_period(as_of) if as_of else None
    return report.scope_report(
        context.get().reader(),
        parse_period(period_key),
        list(units),
        _filters(filter_key),
        monitoring_scope(),
        anchor,
    )


@memoize_once
def district_report(
    version: str, period_key: str, as_of: str | None = None, filter_key: FilterKey = NO_FILTER
) -> Report:
    """Every unit's figures and the scope's for a period; with `as_of`, on the units of that
    period's era (each counting its predecessors)."""
    anchor = parse_period(as_of) if as_of else None
    return report.compute(
        context.get().reader(),
        parse_period(period_key),
        filters=_filters(filter_key),
        scope=monitoring_scope(),
        as_of=anchor,
    )


@memoize_once
def league_rows(
    version: str, period_key: str, group: str, by: str | None, filter_key: FilterKey
) -> list[LeagueRow]:
    """A league table."""
    return standing.league(
        context.get().reader(),
        parse_period(period_key),
        group,
        by,
        _filters(filter_key),
        monitoring_scope(),
    )


@memoize_once
def below_rows(version: str, period_key: str, filter_key: FilterKey) -> list[BelowTarget]:
    """Units × indicators below target with their streaks and the explanations on record
    (an explanation's change renews the data version, so they are cached with the rest)."""
    return standing.below_target(
        context.get().reader(),
        parse_period(period_key),
        _filters(filter_key),
        scope=monitoring_scope(),
    )


@memoize_once
def field_counts(version: str, period_key: str, filter_key: FilterKey) -> dict[str, dict[str, int]]:
    """The scope's period counts per field (the statistics form's rows)."""
    return report.field_counts(
        context.get().reader(), parse_period(period_key), _filters(filter_key), monitoring_scope()
    )


@memoize_once
def problem_dossiers(version: str, unit_id: int, period_key: str) -> list[ProblemDossier]:
    """One unit version's overdue, paused and returned dossiers of a period (with those of
    the versions it took over)."""
    engine = context.get().reader()
    p = parse_period(period_key)
    with engine.connect() as conn:
        unit = queries.all_units(conn)[unit_id]
    return queries.problem_dossiers(engine, report.carried_ids(engine, unit), p.start, p.end)


@memoize_once
def _date_range(version: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    return queries.data_date_range(context.get().reader())


def data_range() -> tuple[dt.datetime | None, dt.datetime | None]:
    """Oldest and newest reception time (a min/max over a million dossiers costs a quarter
    of a second, and every page change asks for it)."""
    return _date_range(data_version())


def newest_day() -> dt.date | None:
    """The newest reception day in the data."""
    _first, last = data_range()
    return last.date() if last else None
