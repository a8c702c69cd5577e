"""Period counts from the rollups: the numbers every indicator is computed from.

`period_counts` answers, per unit version (or per any rollup key), the flows of a period [S, E]
and the states at its end. Every quantity is a running total at a day (or a difference of
two): the month-end running totals give it at a month's end, and the daily counts add the
days of a month not yet closed (`plan` picks the cheapest way to each of the period's two
points). An aligned period reads one or two month-end rows per key and the daily rows of its
last day; every read goes to the narrowest rollup tables that keep the keys asked for and
filtered on (`tables_for`, models.PROJECTIONS).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, case, func, select

from data_access import measures
from data_access.models import PROJECTIONS, rollup_daily, rollup_monthly

# Counts summed over the period's days: every measure marked a flow (data_access/measures.py).
FLOWS = measures.FLOWS
# States at the period's end (or start), from running totals; see RECIPES.
RUNNING = (
    "received_to_end",
    "finished_to_end",
    "finished_before_start",
    "overdue_start_before_end",
    "overdue_end_to_end",
    "paused_open_to_end",
)
QUANTITIES = FLOWS + RUNNING


@dataclass(frozen=True)
class Filters:
    """Optional filters; None means no filter on that dimension."""

    field_ids: tuple[int, ...] | None = None
    procedure_codes: tuple[str, ...] | None = None
    channels: tuple[int, ...] | None = None


NO_FILTERS = Filters()


def _last_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Point:
    """A running total at the end of `day`: the month-end row `month`, plus (`sign` 1) or
    minus (`sign` -1) the daily rows in `days` (None when `day` closes its month)."""

    day: dt.date
    month: dt.date
    days: tuple[dt.date, dt.date] | None
    sign: int = 1


def ways(day: dt.date, horizon: dt.date | None = None) -> list[Point]:
    """The ways to read the running total at the end of `day`: its month's total when `day`
    closes the month; else the month before plus the days up to it, or (when that month's
    total exists, at or before the `horizon`) its own month's total less the days after it."""
    last = _last_of_month(day)
    first = day.replace(day=1)
    if day == last:
        return [Point(day, first, None)]
    previous_month_end = first - dt.timedelta(days=1)
    out = [Point(day, previous_month_end.replace(day=1), (first, day))]
    if horizon is not None and first <= horizon:
        out.append(Point(day, first, (day + dt.timedelta(days=1), last), -1))
    return out


# What one more query, or one more month of month-end rows, costs in days of daily rows read
# (measured at 5 million dossiers: a query's round trip and a month's per-procedure rows each
# cost about what four days of per-procedure daily rows do).
QUERY_IN_DAYS = 4
MONTH_IN_DAYS = 4


def plan(start: dt.date, end: dt.date, horizon: dt.date | None) -> dict[str, Point]:
    """The period's two points ("end", "before_start"), each read the way that makes the
    whole period cheapest: the fewest days of daily rows, counting each separate stretch of
    days (a query) and each month of month-end rows. 03/06-17/06 reads May's totals and
    1-17/06 in one stretch; 03/02-27/11 reads January's and 1-2/02, November's less 28-30/11."""

    def cost(points: tuple[Point, Point]) -> int:
        stretches = _merge([p.days for p in points if p.days] + [(end, end)])
        days = sum((b - a).days + 1 for a, b in stretches)
        months = {min(p.month, horizon) if horizon else p.month for p in points}
        return days + QUERY_IN_DAYS * len(stretches) + MONTH_IN_DAYS * len(months)

    options = [
        (e, b) for e in ways(end, horizon) for b in ways(start - dt.timedelta(days=1), horizon)
    ]
    e, b = min(options, key=cost)
    return {"end": e, "before_start": b}


def _filter_clauses(table, units: Sequence[int] | None, filters: Filters) -> list:
    clauses = []
    if units is not None:
        clauses.append(table.c.unit_id.in_(list(units)))
    if filters.field_ids is not None:
        clauses.append(table.c.field_id.in_(list(filters.field_ids)))
    if filters.procedure_codes is not None:
        clauses.append(table.c.procedure_code.in_(list(filters.procedure_codes)))
    if filters.channels is not None:
        clauses.append(table.c.channel.in_(list(filters.channels)))
    return clauses


def _merge(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or touching day ranges joined (each range is one index search)."""
    out: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def tables_for(by: Sequence[str], filters: Filters) -> tuple[Table, Table]:
    """The daily and month-end tables with the fewest rows that keep every column in `by`
    and `filters` (models.PROJECTIONS, else the full rollups)."""
    wanted = set(by) | {"unit_id"}  # every table is read by unit
    if filters.field_ids is not None:
        wanted.add("field_id")
    if filters.procedure_codes is not None:
        wanted.add("procedure_code")
    if filters.channels is not None:
        wanted.add("channel")
    for projection in PROJECTIONS:  # narrowest first
        if wanted <= set(projection.keys):
            return projection.daily, projection.monthly
    return rollup_daily, rollup_monthly


# How each quantity is made: [(sign, measure, "end" | "before_start" | "end_day")].
RECIPES: dict[str, list[tuple[int, str, str]]] = {
    **{q: [(1, q, "end"), (-1, q, "before_start")] for q in FLOWS},
    "received_to_end": [(1, "received", "end")],
    "finished_to_end": [(1, "finished", "end")],
    "finished_before_start": [(1, "finished", "before_start")],
    # overdue_start counts on days strictly before E: the total at E minus day E itself.
    "overdue_start_before_end": [(1, "overdue_start", "end"), (-1, "overdue_start", "end_day")],
    "overdue_end_to_end": [(1, "overdue_end", "end")],
    "paused_open_to_end": [(1, "paused_open", "end")],
}


def period_counts(
    conn: Connection,
    start: dt.date,
    end: dt.date,
    units: Sequence[int] | None = None,
    filters: Filters = NO_FILTERS,
    by: Iterable[str] = ("unit_id",),
    quantities: Sequence[str] = QUANTITIES,
) -> dict[tuple, dict[str, int]]:
    """Quantities for [start, end], keyed by the `by` columns (default: per unit version id)."""
    by = tuple(by)
    recipes = {q: RECIPES[q] for q in quantities}
    measures = sorted({m for parts in recipes.values() for _, m, _ in parts})
    # Month-end totals do not change after the horizon: read the horizon's row instead.
    last = conn.execute(select(func.max(rollup_monthly.c.month))).scalar()
    if last is None:
        return {}
    if isinstance(last, str):
        last = dt.date.fromisoformat(last)
    points = plan(start, end, last)
    month_of = {name: min(p.month, last) for name, p in points.items()}
    windows = {name: p.days for name, p in points.items() if p.days} | {"end_day": (end, end)}
    signs = {name: p.sign for name, p in points.items()} | {"end_day": 1}
    # Every (where, measure) a recipe reads, where = a point name or "end_day", has a slot in
    # each key's list of values (lists and slot numbers: this runs for every row).
    pairs = sorted({(where, x) for parts in recipes.values() for _, x, where in parts})
    slot = {pair: i for i, pair in enumerate(pairs)}
    values: dict[tuple, list[int]] = {}
    n = len(by)

    def values_of(key: tuple) -> list[int]:
        acc = values.get(key)
        if acc is None:
            acc = values[key] = [0] * len(pairs)
        return acc

    daily, monthly = tables_for(by, filters)
    m = monthly.c
    keys = [m[k] for k in by] + [m.month]
    query = (
        select(*keys, *[func.sum(m[x]).label(x) for x in measures])
        .where(
            m.month.in_(sorted(set(month_of.values()))),
            *_filter_clauses(monthly, units, filters),
        )
        .group_by(*keys)
    )
    column = {x: i for i, x in enumerate(measures)}
    # per month: (slot, column) of each point reading that month's totals
    reads: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for where, x in pairs:
        if where in month_of:
            reads[month_of[where]].append((slot[(where, x)], column[x]))
    for row in conn.execute(query):
        acc, sums = values_of(tuple(row[:n])), row[n + 1 :]
        for i, c in reads[row[n]]:
            acc[i] += sums[c] or 0

    # The days of months not yet closed: summed per point in SQL, one row per key (a row per
    # key and day cost a custom range 4 700 rows to fetch and sort out in Python).
    d = daily.c
    in_days = [(where, x) for where, x in pairs if where in windows]
    keys = [d[k] for k in by]
    # One query per stretch of days: a single day range lets the (unit, day) index read just
    # those days (an OR of ranges made SQLite read every day of every unit: 80 ms, not 8).
    for a, b in _merge(list(windows.values())):
        inside = [
            (where, x) for where, x in in_days if a <= windows[where][0] and windows[where][1] <= b
        ]
        if not inside:
            continue
        query = (
            select(
                *keys,
                *[
                    # a window that is the whole stretch needs no test per row
                    func.sum(d[x])
                    if windows[where] == (a, b)
                    else func.sum(case((d.day.between(*windows[where]), d[x]), else_=0))
                    for where, x in inside
                ],
            )
            .where(d.day.between(a, b), *_filter_clauses(daily, units, filters))
            .group_by(*keys)
        )
        targets = [(slot[(where, x)], signs[where]) for where, x in inside]
        for row in conn.execute(query):
            acc, sums = values_of(tuple(row[:n])), row[n:]
            for (i, sign), v in zip(targets, sums, strict=True):
                acc[i] += sign * (v or 0)

    # each quantity: its recipe's signed slots
    plans = [[(sign, slot[(where, x)]) for sign, x, where in parts] for parts in recipes.values()]
    names = list(recipes)
    return {
        key: dict(zip(names, [sum(s * acc[i] for s, i in p) for p in plans], strict=True))
        for key, acc in values.items()
    }
