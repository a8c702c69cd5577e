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

from dashboard import access, briefing, context, early_warning, figures, report, trends
from dashboard.cache import memoize_once
from dashboard.exports import naming
from dashboard.formatting import vn_sort_key
from dashboard.indicators import clock
from dashboard.indicators.assessment import Section, assess
from dashboard.indicators.form06 import FormRow
from dashboard.indicators.form06 import row as form_row
from dashboard.indicators.periods import Period, parse_period
from dashboard.indicators.records import EventRow
from dashboard.indicators.scope import Era, named
from dashboard.indicators.units import UnitRow
from dashboard.indicators.warnings import DEFAULT_DAYS
from dashboard.query import ViewQuery
from dashboard.report import LONG_RUN, BelowTarget, LeagueRow, Report, ScopeError, UnitReport
from data_access import explanations, queries
from data_access.queries import ProblemDossier


def may_see(ref: str, period_key: str) -> bool:
    """Whether the account may see the unit a URL names in the period (every unit for the
    office; a unit account its own and the units it took over). An unknown code is no
    refusal: the page or file says it has no figures."""
    scope = access.current()
    if not scope.unit_only:
        return True
    p = parse_period(period_key)
    with context.get().engine.connect() as conn:
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
        with context.get().engine.connect() as conn:
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
    q = replace(q, units=access.current().units(q.units))  # a unit account: itself or all
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
    with context.get().engine.connect() as conn:
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
    scope = access.current()
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
    scope = access.current()
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
    scope = access.current()
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
    if view is None or not access.current().may_see_unit(view.unit.unit.id):
        return None
    return view


@memoize_once
def _unit_view(version: str, period_key: str, ref: str) -> UnitView | None:
    p = parse_period(period_key)
    rep = figures.district_report(version, p.key)
    mine = rep.find(ref)
    if mine is None:
        return None
    problems = figures.problem_dossiers(version, mine.unit.id, p.key)
    with context.get().engine.connect() as conn:  # explanations renew the data version too
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
    scope = access.current()
    with context.get().engine.connect() as conn:
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


# -- The period's assessment -----------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """The period's assessment in words: the overview's folded text, the pack's first slides,
    the meeting-room screen's first slide, the .docx report and `tthc assessment`."""

    query: ViewQuery
    period: Period
    scope: str
    sections: list[Section]
    newest: dt.datetime | None


def assessment(q: ViewQuery) -> Assessment:
    """The words for the query's period, field filter and units (default: the whole scope)."""
    q = resolved(q)
    q = replace(q, units=access.current().units(q.units))
    p = parse_period(q.period)
    version = figures.data_version()
    now = figures.district_report(version, p.key, None, q.filter_key)
    before = figures.district_report(version, p.previous().key, p.key, q.filter_key)
    ov = overview(q)
    named = [u for u in (now.find(ref) for ref in q.units) if u is not None]
    scope = access.current()  # a unit account: the scope's totals, and only its own name
    units = [u for u in named or now.units if scope.may_see_unit(u.unit.id)]
    ids = {u.unit.id for u in units}
    below = [b for b in below_target(replace(q, streak_only=False)).all if b.unit.id in ids]
    _first, newest = figures.data_range()
    as_of = newest.date() if newest else p.end
    field = ", ".join(q.fields) or None
    words = assess(briefing.facts(now, before, (ov.now, ov.before), units, below, as_of, field))
    return Assessment(q, p, ov.now.unit.name, words, newest)


# -- The periodic statistics form (Biểu số 06/VPCP/KSTT) ------------------------------------
@dataclass(frozen=True)
class StatisticsForm:
    """The form's rows per field and per unit, each with its total (`tthc report --form 06`,
    /xuat/bieu-06.xlsx, the pack)."""

    query: ViewQuery
    period: Period
    era: Era
    by_field: list[FormRow]
    by_unit: list[FormRow]


def form06(q: ViewQuery) -> StatisticsForm:
    """Biểu 06 for the query's period and field filter, over the whole scope (the form is the
    office's report; a unit account gets its own unit's rows)."""
    q = resolved(q)
    version = figures.data_version()
    rep = figures.district_report(version, q.period, None, q.filter_key)
    by_field = [
        form_row(name, counts)
        for name, counts in sorted(
            figures.field_counts(version, q.period, q.filter_key).items(),
            key=lambda kv: vn_sort_key(kv[0]),
        )
    ]
    scope = access.current()
    units = [u for u in rep.units if scope.may_see_unit(u.unit.id)]
    units.sort(key=lambda u: (u.unit.kind == "department", vn_sort_key(u.unit.name)))
    by_unit = [form_row(u.unit.name, u.counts) for u in units]
    if scope.unit_only:  # the fields' rows are the scope's: not a unit account's to see
        by_field = []
    return StatisticsForm(q, rep.period, rep.era, by_field, by_unit)


# -- Meeting-room screen ---------------------------------------------------------------------
@dataclass(frozen=True)
class KioskFigures:
    """What the slides show."""

    period: Period
    district: Report
    leagues: dict[str, list[LeagueRow]]
    below: list[BelowTarget]
    newest: dt.datetime | None
    warnings: early_warning.Warnings  # as of the newest day of the data

    @property
    def era(self) -> Era:
        """The scope's era of the period."""
        return self.district.era


def kiosk(q: ViewQuery) -> KioskFigures:
    """The meeting-room screen's slides (the whole scope; the screen has no filters)."""
    q = resolved(q)
    version = figures.data_version()
    p = parse_period(q.period)
    district = figures.district_report(version, p.key)
    leagues = {g: league(replace(q, group=g, by="")) for g in ("xa", "phong")}
    below = below_target(replace(q, streak_only=False)).all
    _first, newest = figures.data_range()
    return KioskFigures(p, district, leagues, below, newest, warnings(ViewQuery()).warnings)


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
    scope = access.current()
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
    with ctx.engine.connect() as conn:
        filters = report.resolve_filters(conn, *filter_key)
    return early_warning.compute(
        ctx.engine,
        dt.date.fromisoformat(as_of),
        ctx.settings.work_calendar(),
        units,
        filters,
        figures.monitoring_scope(),
        days,
    )
