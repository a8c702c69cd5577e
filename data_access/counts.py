"""Period counts from the rollups: the numbers every indicator is computed from.

`period_counts` answers, per unit (or per unit and procedure), the flows of a
period [start, end] and the states at its end, by summing rollup rows: whole
months from the monthly rollup, the remaining days from the daily rollup.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, case, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from data_access.models import rollup_daily, rollup_monthly

# Counts summed over the period's days.
FLOWS = (
    "received",
    "received_online",
    "received_fee",
    "received_fee_paid_online",
    "received_digitized",
    "received_reused",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "resolved_e_result",
    "withdrawn_or_returned",
    "returned",
    "online_submitted",
    "online_answered_6h",
)
# Running totals: name -> (measure, "end" | "before_start" | "before_end").
RUNNING = {
    "received_to_end": ("received", "end"),
    "finished_to_end": ("finished", "end"),
    "finished_before_start": ("finished", "before_start"),
    "overdue_start_before_end": ("overdue_start", "before_end"),
    "overdue_end_to_end": ("overdue_end", "end"),
    "paused_open_to_end": ("paused_open", "end"),
}
QUANTITIES = FLOWS + tuple(RUNNING)


@dataclass(frozen=True)
class Filters:
    """Optional filters; None means no filter on that dimension."""

    field_ids: tuple[int, ...] | None = None
    procedure_codes: tuple[str, ...] | None = None
    channels: tuple[int, ...] | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True)
class DayRange:
    """A range of whole days split into whole months and loose days (None: open start)."""

    months: tuple[dt.date | None, dt.date] | None
    days: tuple[tuple[dt.date, dt.date], ...]


def _last_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def split_range(first: dt.date | None, last: dt.date) -> DayRange | None:
    """Split [first, last] (first None: from the beginning) into whole months and loose days."""
    if first is not None and first > last:
        return None
    one = dt.timedelta(days=1)
    # Whole months are those lying entirely inside [first, last].
    lo = first if first is None or first.day == 1 else _last_of_month(first) + one
    hi_end = last if last == _last_of_month(last) else last.replace(day=1) - one
    hi = hi_end.replace(day=1)
    if lo is not None and lo > hi:
        return DayRange(None, ((first, last),))
    days = []
    if first is not None and lo != first:
        days.append((first, lo - one))
    if hi_end != last:
        days.append((hi_end + one, last))
    return DayRange((lo, hi), tuple(days))


def _in_months(col: ColumnElement, rng: DayRange | None) -> ColumnElement | None:
    if rng is None or rng.months is None:
        return None
    lo, hi = rng.months
    return col <= hi if lo is None else col.between(lo, hi)


def _in_days(col: ColumnElement, rng: DayRange | None) -> ColumnElement | None:
    if rng is None or not rng.days:
        return None
    return or_(*[col.between(a, b) for a, b in rng.days])


def _ranges(start: dt.date, end: dt.date) -> dict[str, DayRange | None]:
    return {
        "period": split_range(start, end),
        "end": split_range(None, end),
        "before_start": split_range(None, start - dt.timedelta(days=1)),
        "before_end": split_range(None, end - dt.timedelta(days=1)),
    }


def _filter_clauses(table, units: Sequence[str] | None, filters: Filters) -> list:  # noqa: ANN001
    clauses = []
    if units is not None:
        clauses.append(table.c.unit_code.in_(list(units)))
    if filters.field_ids is not None:
        clauses.append(table.c.field_id.in_(list(filters.field_ids)))
    if filters.procedure_codes is not None:
        clauses.append(table.c.procedure_code.in_(list(filters.procedure_codes)))
    if filters.channels is not None:
        clauses.append(table.c.channel.in_(list(filters.channels)))
    return clauses


def period_counts(
    conn: Connection,
    start: dt.date,
    end: dt.date,
    units: Sequence[str] | None = None,
    filters: Filters = NO_FILTERS,
    by: Iterable[str] = ("unit_code",),
    quantities: Sequence[str] = QUANTITIES,
) -> dict[tuple, dict[str, int]]:
    """Quantities for [start, end], keyed by the `by` columns (default: per unit code)."""
    ranges = _ranges(start, end)
    wanted = {q: (q, "period") if q in FLOWS else RUNNING[q] for q in quantities}
    by = tuple(by)
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(quantities, 0))
    for table, bucket, within in (
        (rollup_monthly, "month", _in_months),
        (rollup_daily, "day", _in_days),
    ):
        col = table.c[bucket]
        exprs, needed = [], []
        for q, (measure, which) in wanted.items():
            cond = within(col, ranges[which])
            needed.append(cond)
            if cond is None:
                exprs.append(literal(0).label(q))
            else:
                exprs.append(func.sum(case((cond, table.c[measure]), else_=0)).label(q))
        any_needed = [c for c in needed if c is not None]
        if not any_needed:
            continue
        query = (
            select(*[table.c[k] for k in by], *exprs)
            .where(and_(or_(*any_needed), *_filter_clauses(table, units, filters)))
            .group_by(*[table.c[k] for k in by])
        )
        for row in conn.execute(query):
            key = tuple(row[: len(by)])
            acc = totals[key]
            for q in quantities:
                acc[q] += int(row._mapping[q] or 0)
    return dict(totals)


def unit_procedures(conn: Connection, units: Sequence[str] | None = None) -> set[tuple[str, str]]:
    """(unit, procedure) pairs that ever had a dossier: the unit's procedure catalog in use."""
    t = rollup_monthly.c
    query = select(t.unit_code, t.procedure_code).distinct().where(t.procedure_code.is_not(None))
    if units is not None:
        query = query.where(t.unit_code.in_(list(units)))
    return {(u, p) for u, p in conn.execute(query)}
