"""One entry per view: a `ViewQuery` in, the view's figures out.

The page (its callback), every download of the page (xlsx, csv, png, svg, the letter, the
pack) and the CLI call the same entry with the same query, so they cannot differ. Each entry
reads the data version, owns the caching (a whole view is one cache entry, so a filter change
on a warm cache is one look-up) and applies the account's scope after it (the cache holds
figures every account shares; a unit account then sees its own unit).

Where a number on screen comes from: the entry here → `figures` (cached reports) →
`report` (counting rules, targets) → `data_access` (SQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dashboard.domain import clock, naming
from dashboard.domain.periods import Period, parse_period
from dashboard.domain.query import ViewQuery
from dashboard.domain.records import EventRow
from dashboard.domain.scope import named
from dashboard.domain.units import UnitRow
from dashboard.services import context, figures, report, trends, viewer
from dashboard.services.cache import memoize_once
from dashboard.services.report import Report, ScopeError, UnitReport
from dashboard.services.standing import LONG_RUN, BelowTarget, LeagueRow
from data_access import explanations, queries
from data_access.queries import ProblemDossier


def may_see(ref: str, period_key: str) -> bool:
    """Whether the account may see the unit a URL names in the period (every unit for the
    office; a unit account its own and the units it took over). An unknown code is no
    refusal: the page or file says it has no figures."""
    scope = viewer.current()
    if not scope.unit_only:
        return True
    p = parse_period(period_key)
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    try:
        asked = units.resolve(ref, p.start, p.end)
    except ValueError:
        return True
    return scope.may_see_unit(asked.id)


def filter_words(q: ViewQuery) -> list[str]:
    """The view's filter in words, as every downloaded file names it (exports/naming.py): the
    units chosen by name (else the scope's name for the period), the fields, procedures and
    channels."""
    q = resolved(q)
    p = parse_period(q.as_of or q.period)
    names = []
    if q.units:
        with context.get().reader().connect() as conn:
            units = queries.all_units(conn)
        for ref in q.units:
            try:
                names.append(units.resolve(ref, p.start, p.end).name)
            except ValueError:
                names.append(ref)
    else:
        names.append(figures.monitoring_scope().era(p).name)
    return naming.filter_words(names, q.fields, q.procedures, q.channels)


def resolved(q: ViewQuery) -> ViewQuery:
    """The query with its default period filled in (the month of the newest data)."""
    return q if q.period else q.with_default_period(figures.newest_day())


# -- Overview --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Overview:
    """The overview: the scope's figures, the previous period's on the same units, the
    monthly trend, and the note for a period across a reorganization."""

    query: ViewQuery
    period: Period
    now: UnitReport
    before: UnitReport
    series: list[tuple[Period, UnitReport]]
    newest: dt.datetime | None
    note: str | None


def overview(q: ViewQuery) -> Overview:
    """The overview page, its chart images and the indicator gauges of the pack."""
    q = resolved(q)
    q = replace(q, units=viewer.current().units(q.units))  # a unit account: itself or all
    p = parse_period(q.period)
    return replace(_overview(figures.data_version(), p.key, q.units, q.filter_key), query=q)


@memoize_once
def _overview(
    version: str, period_key: str, units: tuple[str, ...], filter_key: figures.FilterKey
) -> Overview:
    p = parse_period(period_key)
    now = figures.scope_report(version, p.key, units, filter_key)
    # The previous period on this period's units (after a merger: the predecessors' sum).
    prev = p.previous()
    before = figures.scope_report(version, prev.key, units, filter_key, trends.anchor(prev, p))
    first, newest = figures.data_range()
    series = trends.scope_series(version, p, first and first.date(), units, filter_key)
    note = how_counted(p.key)
    q = ViewQuery(period=p.key, units=units)
    return Overview(q, p, now, before, series, newest, note)


def watched_today() -> set[int]:
    """The unit versions the monitoring scope watches today (the data page's freshness
    table lists them first)."""
    today = clock.today()
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    try:
        _era, members = report.scope_members(
            named(figures.monitoring_scope(), units), units, Period(today, today, "day")
        )
    except ScopeError:
        return set()
    return {u.id for u in members}


def how_counted(period_key: str) -> str | None:
    """How a period across a reorganization is counted (the units of its end, each with its
    predecessors' dossiers), said above every page's figures; None for any other period."""
    return figures.monitoring_scope().how_counted(parse_period(period_key))


# -- Indicators of every unit ----------------------------------------------------------------
def indicators(q: ViewQuery) -> Report:
    """Every unit's indicators and the scope's (only the units asked for, when some are): the
    "chỉ số theo đơn vị" table and `tthc indicators`."""
    q = resolved(q)
    rep = figures.district_report(figures.data_version(), q.period, None, q.filter_key)
    if q.units:
        found = {ref: rep.find(ref) for ref in q.units}
        missing = [ref for ref, u in found.items() if u is None]
        if missing:
            raise ScopeError(f"Không có đơn vị (unknown unit): {', '.join(missing)}")
        chosen = [u for u in found.values() if u is not None]
        rep = replace(rep, units=list({u.unit.id: u for u in chosen}.values()))
    scope = viewer.current()
    if scope.unit_only:  # the scope's totals and its own row
        rep = replace(rep, units=[u for u in rep.units if scope.may_see_unit(u.unit.id)])
    return rep


# -- League ----------------------------------------------------------------------------------
def league(q: ViewQuery) -> list[LeagueRow]:
    """A league table (the page's tab, its downloads, `tthc league`)."""
    q = resolved(q)
    rows = figures.league_rows(
        figures.data_version(), q.period, q.group, q.by or None, q.filter_key
    )
    scope = viewer.current()
    return [r for r in rows if scope.may_see_unit(r.report.unit.id)]  # a unit: its own rank


# -- Units below target ----------------------------------------------------------------------
@dataclass(frozen=True)
class BelowList:
    """Units × indicators below target: all of them (the summary line counts these) and the
    ones the view lists (only long runs when the query asks)."""

    query: ViewQuery
    period: Period
    all: list[BelowTarget]
    shown: list[BelowTarget]
    least_run: int = 0  # the shortest run the view lists (0: every unit below target)


def below_target(q: ViewQuery) -> BelowList:
    """The explanations page, its table, the letter and `tthc below-target`."""
    q = resolved(q)
    rows = figures.below_rows(figures.data_version(), q.period, q.filter_key)
    scope = viewer.current()
    mine = [r for r in rows if scope.may_see_unit(r.unit.id)]
    # The long runs (lien_tiep), or the runs of at least so_ky periods (a letter's rule).
    least = max(LONG_RUN if q.streak_only else 0, q.min_streak or 0)
    shown = [r for r in mine if r.consecutive_periods >= least] if least else mine
    return BelowList(q, parse_period(q.period), mine, shown, least)


# -- One unit --------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitView:
    """A unit's page: its figures, the scope's, its problem dossiers, its explanations and
    its trend against the scope."""

    query: ViewQuery
    period: Period
    unit: UnitReport
    parent: UnitReport
    problems: list[ProblemDossier]
    events: list[EventRow]
    months: list[trends.UnitMonth]


def unit(q: ViewQuery) -> UnitView | None:
    """The unit page and its dossier list (None: no such unit in the period, or one the
    account may not see: the same answer, so a unit's existence does not leak)."""
    q = resolved(q)
    view = _unit_view(figures.data_version(), q.period, q.unit) if q.unit else None
    if view is None or not viewer.current().may_see_unit(view.unit.unit.id):
        return None
    return view


def prepare_unit(version: str, period_key: str, ref: str) -> None:
    """Compute and cache a unit's page (the cache warm-up), for any account to open."""
    _unit_view(version, period_key, ref)


@memoize_once
def _unit_view(version: str, period_key: str, ref: str) -> UnitView | None:
    p = parse_period(period_key)
    rep = figures.district_report(version, p.key)
    mine = rep.find(ref)
    if mine is None:
        return None
    problems = figures.problem_dossiers(version, mine.unit.id, p.key)
    with context.get().reader().connect() as conn:  # explanations renew the data version too
        events = explanations.history(conn, mine.unit.id)
    first, _newest = figures.data_range()
    months = trends.unit_series(version, p, first and first.date(), mine.unit.id)
    q = ViewQuery(period=p.key, unit=mine.unit.ref)
    return UnitView(q, p, mine, rep.parent, problems, events, months)


@dataclass(frozen=True)
class UnitElsewhere:
    """A unit asked for that is not one of the period's units, and the units of the period
    that hold its dossiers: its successor after a merger, or, for a unit formed after the
    period, the units it was formed from."""

    asked: UnitRow
    holders: list[UnitRow]
    formed_later: bool


def unit_elsewhere(q: ViewQuery) -> UnitElsewhere | None:
    """Where the period counts the dossiers of a unit that is not one of its units (None for
    an unknown code, and for units the account may not see: the same answer)."""
    q = resolved(q)
    p = parse_period(q.period)
    scope = viewer.current()
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    try:
        asked = units.resolve(q.unit, p.start, p.end)
    except ValueError:
        return None
    members = [u.unit for u in figures.district_report(figures.data_version(), p.key).units]
    if asked.valid_from > p.end:
        before = units.ancestors(asked.id)
        holders, later = [u for u in members if u.id in before], True
    else:
        target = report.fold_map(units, members).get(asked.id)
        holders, later = [units[target]] if target not in (None, asked.id) else [], False
    holders = [u for u in holders if scope.may_see_unit(u.id)]
    if not holders or not scope.may_see_unit(asked.id):
        return None
    return UnitElsewhere(asked, holders, later)
