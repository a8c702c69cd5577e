"""Rollups: per (unit, field, procedure, channel) and per day / month, the counts the rules need.

Every measure is "how many dossiers have event X on this day", so any period's
figures are sums: flows over the period's days, and period-end states (handled,
pending, pending overdue, paused) as differences of running totals. This module
holds the one definition of each measure (a condition and the day it counts on)
and rebuilds the rollup rows of given units inside the caller's transaction.

Measures, the day each counts on, and its condition (accepted = not new, not not_accepted):
- received, received_online/_fee/_fee_paid_online/_digitized/_reused: received day; accepted
  (and the flag);
- finished: finished day; accepted and finished;
- resolved, resolved_e_result: finished day; status resolved (and an electronic result);
- resolved_on_time / resolved_late: finished day; resolved, finish day <= / > due day;
- withdrawn_or_returned, returned: finished day; status withdrawn or returned / returned;
- paused_open: received day; accepted, status paused, not finished;
- overdue_start: max(received day, due day); accepted, not supplement/paused, due known, and
  not finished by that day; overdue_end: finished day of those;
- online_submitted, online_answered_6h: submitted day; online (and answered within 360
  working minutes).

A dossier is pending overdue on day E when overdue_start < E < finished day, so
pending overdue at E = (overdue_start on days < E) − (overdue_end on days ≤ E).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.sql import ColumnElement

from data_access.models import MEASURES, Dossier, rollup_daily, rollup_monthly
from data_access.sqlfuncs import day_of, month_start

RESPONSE_LIMIT_MINUTES = 360  # 6 working hours (seed 001)

d = Dossier.__table__.c
accepted = d.status.not_in(["new", "not_accepted"])
received_day = day_of(d.received_at)
finished_day = day_of(d.finished_at)
due_day = day_of(d.due_at)
overdue_day = case((due_day > received_day, due_day), else_=received_day)
can_be_overdue = and_(
    accepted,
    d.status.not_in(["supplement", "paused"]),
    d.due_at.is_not(None),
    d.received_at.is_not(None),
    or_(d.finished_at.is_(None), finished_day > overdue_day),
)
resolved = d.status == "resolved"
online = d.channel == 2

# event day -> {measure: condition}; measures not listed for an event count 0 there.
EVENTS: list[tuple[ColumnElement, ColumnElement, dict[str, ColumnElement]]] = [
    (
        received_day,
        and_(d.received_at.is_not(None), accepted),
        {
            "received": literal(True),
            "received_online": online,
            "received_fee": d.has_fee,
            "received_fee_paid_online": and_(d.has_fee, d.paid_online),
            "received_digitized": d.digitized,
            "received_reused": d.reused_data,
            "paused_open": and_(d.status == "paused", d.finished_at.is_(None)),
        },
    ),
    (
        finished_day,
        and_(d.finished_at.is_not(None), accepted),
        {
            "finished": literal(True),
            "resolved": resolved,
            "resolved_on_time": and_(resolved, or_(d.due_at.is_(None), finished_day <= due_day)),
            "resolved_late": and_(resolved, d.due_at.is_not(None), finished_day > due_day),
            "resolved_e_result": and_(resolved, d.e_result),
            "withdrawn_or_returned": d.status.in_(["withdrawn", "returned"]),
            "returned": d.status == "returned",
            "overdue_end": can_be_overdue,
        },
    ),
    (overdue_day, can_be_overdue, {"overdue_start": literal(True)}),
    (
        day_of(d.submitted_at),
        and_(online, d.submitted_at.is_not(None)),
        {
            "online_submitted": literal(True),
            "online_answered_6h": and_(
                d.first_response_minutes.is_not(None),
                d.first_response_minutes <= RESPONSE_LIMIT_MINUTES,
            ),
        },
    ),
]
assert {m for _, _, ms in EVENTS for m in ms} == set(MEASURES)

KEYS = ("unit_id", "field_id", "procedure_code", "channel")


def _month_after(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def horizon(conn: Connection) -> dt.date | None:
    """The last month the month-end running totals reach (the same for every key)."""
    return conn.execute(select(func.max(rollup_monthly.c.month))).scalar()


def rebuild(conn: Connection, units: Iterable[int] | None = None) -> None:
    """Recompute the daily counts and month-end running totals of `units` (all when None)."""
    units = None if units is None else sorted(set(units))
    for table in (rollup_daily, rollup_monthly):
        stmt = delete(table)
        if units is not None:
            stmt = stmt.where(table.c.unit_id.in_(units))
        conn.execute(stmt)
    delta = Delta(conn)
    delta.add(None if units is None else d.unit_id.in_(units))
    delta.apply(units)


class Delta:
    """Rollup changes of one write, gathered in a temporary table and applied in SQL, so an
    import of 200 000 dossiers never round-trips its event counts through Python."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.table = Table(
            f"tmp_rollup_delta_{id(self)}",
            MetaData(),
            *[rollup_daily.c[k]._copy() for k in (*KEYS, "day")],
            *[Column(m, Integer, nullable=False, server_default="0") for m in MEASURES],
            prefixes=["TEMPORARY"],
        )
        self.table.create(conn)

    def add(self, only, sign: int = 1) -> None:  # noqa: ANN001
        """Add (sign 1) or take away (sign -1) the events of the dossiers `only` selects
        (all when None)."""
        branches = []
        for day, where, measures in EVENTS:
            cols = [d[k] for k in KEYS] + [day.label("day")]
            cols += [
                (case((measures[m], 1), else_=0) if m in measures else literal(0)).label(m)
                for m in MEASURES
            ]
            branches.append(select(*cols).where(where if only is None else and_(where, only)))
        ev = union_all(*branches).subquery("events")
        group = [ev.c[k] for k in KEYS] + [ev.c.day]
        self.conn.execute(
            insert(self.table).from_select(
                [*KEYS, "day", *MEASURES],
                select(*group, *[sign * func.sum(ev.c[m]) for m in MEASURES]).group_by(*group),
            )
        )

    def apply(self, units: Iterable[int] | None) -> None:
        """Add the gathered changes to the daily rollup (existing rows updated, new keys
        inserted), refresh the month-end totals of `units` (all when None), and drop the
        temporary table."""
        units = None if units is None else sorted(set(units))
        if units == []:
            self.table.drop(self.conn)
            return
        t, r = self.table.c, rollup_daily.c
        key_cols = [t[k] for k in (*KEYS, "day")]
        g = (
            select(*key_cols, *[func.sum(t[m]).label(m) for m in MEASURES])
            .group_by(*key_cols)
            .subquery("g")
        )
        same = and_(*[r[k].is_not_distinct_from(g.c[k]) for k in (*KEYS, "day")])
        self.conn.execute(
            update(rollup_daily).values({m: r[m] + g.c[m] for m in MEASURES}).where(same)
        )
        self.conn.execute(
            insert(rollup_daily).from_select(
                [*KEYS, "day", *MEASURES],
                select(*[g.c[k] for k in (*KEYS, "day")], *[g.c[m] for m in MEASURES]).where(
                    ~select(r.id).where(same).exists()
                ),
            )
        )
        self.table.drop(self.conn)
        stmt = delete(rollup_monthly)
        if units is not None:
            stmt = stmt.where(rollup_monthly.c.unit_id.in_(units))
        self.conn.execute(stmt)
        _rebuild_month_end(self.conn, units)


def _rebuild_month_end(conn: Connection, units: list[int] | None) -> None:
    """Month-end running totals, dense from each key's first month to the common horizon,
    so a total at any month end is one row per key (and later months repeat the last)."""
    r, m = rollup_daily.c, rollup_monthly.c
    old_horizon = horizon(conn)  # of the units not rebuilt (theirs were just deleted)
    newest_day = conn.execute(select(func.max(r.day))).scalar()
    if newest_day is None:
        return
    target = max(filter(None, [old_horizon, newest_day.replace(day=1)]))
    month = month_start(r.day)
    query = select(
        *[r[k] for k in KEYS], month.label("month"), *[func.sum(r[x]).label(x) for x in MEASURES]
    )
    if units is not None:
        query = query.where(r.unit_id.in_(units))
    query = query.group_by(*[r[k] for k in KEYS], month).order_by(*[r[k] for k in KEYS], month)
    rows, running, current_key, next_month = [], [0] * len(MEASURES), None, None
    n = len(KEYS)

    def fill_until(stop: dt.date) -> None:
        nonlocal next_month
        while next_month is not None and next_month < stop:
            rows.append(
                dict(zip(KEYS, current_key, strict=True))
                | {"month": next_month}
                | dict(zip(MEASURES, running, strict=True))
            )
            next_month = _month_after(next_month)

    for row in conn.execute(query):
        key, when = tuple(row[:n]), row[n]
        if isinstance(when, str):  # SQLite returns the computed date as text
            when = dt.date.fromisoformat(when)
        if key != current_key:
            fill_until(_month_after(target))
            current_key, running, next_month = key, [0] * len(MEASURES), when
        fill_until(when)
        running = [a + (b or 0) for a, b in zip(running, row[n + 1 :], strict=True)]
        rows.append(
            dict(zip(KEYS, key, strict=True))
            | {"month": when}
            | dict(zip(MEASURES, running, strict=True))
        )
        next_month = _month_after(when)
    fill_until(_month_after(target))
    for i in range(0, len(rows), 5000):
        conn.execute(insert(rollup_monthly), rows[i : i + 5000])
    if old_horizon is not None and target > old_horizon and units is not None:
        # New months for the other units too: copy their last totals forward.
        others = ~m.unit_id.in_(units)
        month_ = _month_after(old_horizon)
        while month_ <= target:
            cols = [m[k] for k in KEYS] + [m[x] for x in MEASURES]
            conn.execute(
                insert(rollup_monthly).from_select(
                    [*KEYS, *MEASURES, "month"],
                    select(*cols, literal(month_, type_=Date)).where(
                        m.month == old_horizon, others
                    ),
                )
            )
            month_ = _month_after(month_)


def is_empty(conn: Connection) -> bool:
    """Whether no rollup row exists (a database from before rollups, or a new one)."""
    return conn.execute(select(rollup_daily.c.id).limit(1)).first() is None
