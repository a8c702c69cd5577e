"""Rollups: per (unit, field, procedure, channel) and per day / month, the counts the rules need.

Every measure is "how many dossiers have event X on this day", so any period's
figures are sums: flows over the period's days, and period-end states (handled,
pending, pending overdue, paused) as differences of running totals. The measures are
defined once in data_access.measures; this module rebuilds the rollup rows of given units
inside the caller's transaction, and adds the delta of a write.

A dossier is pending overdue on day E when overdue_start < E < finished day, so
pending overdue at E = (overdue_start on days < E) − (overdue_end on days ≤ E).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    ColumnElement,
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

from data_access import measures, versioning
from data_access.measures import MEASURES
from data_access.models import (
    PROJECTIONS,
    Dossier,
    rollup_daily,
    rollup_monthly,
    table_of,
)
from data_access.sqlfuncs import month_start

d = table_of(Dossier).c
EVENTS = measures.events(measures.SQL(table_of(Dossier)))
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
    narrow = [t for p in PROJECTIONS for t in (p.daily, p.monthly)]
    for table in (rollup_daily, rollup_monthly, *narrow):
        stmt = delete(table)
        if units is not None:
            stmt = stmt.where(table.c.unit_id.in_(units))
        conn.execute(stmt)
    delta = Delta(conn)
    delta.add(None if units is None else d.unit_id.in_(units))
    delta.apply(units)
    versioning.bump(conn)


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
        # How many times rows went in: after at most one `add_columns` each key and day is
        # one row already, and `apply` adds them as they are instead of summing them again.
        self.batches = 0
        # The rows `add_columns` put in, while they are all the table holds: the narrower
        # tables' sums are grouped from them in memory instead of by SQL.
        self.frame: pd.DataFrame | None = None

    def add_columns(self, columns: Mapping[str, np.ndarray]) -> None:
        """Add the events of dossiers held in memory (an import's new rows, as columns), by
        the same definitions, without reading them back from the database."""
        b = measures.Arrays(columns)
        parts = []
        for day, where, conditions in measures.events(b):
            rows = np.flatnonzero(where)
            if not len(rows):
                continue
            part = pd.DataFrame({k: np.asarray(columns[k])[rows] for k in KEYS})
            part["day"] = np.asarray(day)[rows]
            for m, cond in conditions.items():
                part[m] = np.asarray(cond, dtype=np.int32)[rows]
            # Grouped per event (keys may be missing: no field or procedure), so the frames
            # joined below are as small as the rollup rows they become.
            parts.append(
                part.groupby([*KEYS, "day"], dropna=False, sort=False)[list(conditions)].sum()
            )
        if not parts:
            return
        grouped = (
            pd.concat(parts).fillna(0).groupby(level=list(range(len(KEYS) + 1)), dropna=False).sum()
        )
        grouped = grouped.reindex(columns=list(MEASURES), fill_value=0).reset_index()
        values = [
            *[_key_values(grouped, k) for k in KEYS],
            np.datetime_as_string(grouped["day"].to_numpy(dtype="datetime64[D]")).tolist(),
            *[grouped[m].astype(np.int64).tolist() for m in MEASURES],
        ]
        self.batches += 1
        self.frame = grouped if self.batches == 1 else None
        _insert_rows(self.conn, self.table, [*KEYS, "day", *MEASURES], values)

    def add(self, only, sign: int = 1) -> None:
        """Add (sign 1) or take away (sign -1) the events of the dossiers `only` selects
        (all when None)."""
        branches = []
        for day, where, conditions in EVENTS:
            cols = [d[k] for k in KEYS] + [day.label("day")]
            cols += [
                (case((conditions[m], 1), else_=0) if m in conditions else literal(0)).label(m)
                for m in MEASURES
            ]
            branches.append(select(*cols).where(where if only is None else and_(where, only)))
        self.batches += 2  # rows per event: summed in `apply`
        self.frame = None
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
        if self.batches <= 1:  # one row per key and day already (an import's new rows)
            g = self.table
            add_sums(self.conn, g, rollup_daily, (*KEYS, "day"))
        else:
            g = add_summed(self.conn, self.table, rollup_daily, (*KEYS, "day"))
        if self.frame is not None:
            _add_projections_of(self.conn, self.frame, id(self))
        else:
            _add_projections(self.conn, g)
        self.table.drop(self.conn)
        if g is not self.table:
            g.drop(self.conn)
        stmt = delete(rollup_monthly)
        if units is not None:
            stmt = stmt.where(rollup_monthly.c.unit_id.in_(units))
        self.conn.execute(stmt)
        others_until = horizon(self.conn)  # the other units' totals reach this month
        _rebuild_month_end(self.conn, units)
        _refresh_monthly_projections(self.conn, units, others_until)


def add_summed(
    conn: Connection,
    changes: Table,
    table: Table,
    cols: tuple[str, ...],
    ordered: bool = False,
    measures: tuple[str, ...] = MEASURES,
    nullable_keys: bool = True,
) -> Table:
    """`changes` summed per `cols` into a temporary table (once: the update and the insert
    both read it), added to `table`'s `measures`: existing rows updated, new keys inserted
    (`ordered`: in (unit, day) order, so after a rebuild each unit's days lie together).
    Returns the sums; the caller drops them. The officer counts (data_access/step_rollups.py)
    add theirs the same way."""
    c = changes.c
    sums = Table(
        f"tmp_sum_{table.name}_{id(changes)}",  # PostgreSQL cuts names at 63 characters
        MetaData(),
        *[table.c[k]._copy() for k in cols],
        *[Column(m, Integer, nullable=False) for m in measures],
        prefixes=["TEMPORARY"],
    )
    sums.create(conn)
    key_cols = [c[k] for k in cols]
    conn.execute(
        insert(sums).from_select(
            [*cols, *measures],
            select(*key_cols, *[func.sum(c[m]) for m in measures]).group_by(*key_cols),
        )
    )
    add_sums(conn, sums, table, cols, ordered, measures, nullable_keys)
    return sums


def add_sums(
    conn: Connection,
    sums: Table,
    table: Table,
    cols: tuple[str, ...],
    ordered: bool = False,
    measures: tuple[str, ...] = MEASURES,
    nullable_keys: bool = True,
) -> None:
    """`sums` (one row per `cols`) added to `table`'s `measures`: existing rows updated, new
    keys inserted (`ordered`: in (unit, day) order)."""
    t = table.c
    # field and procedure may be unknown (NULL): matched as equal; keys that are never NULL
    # are compared with "=", which PostgreSQL can join on
    same = and_(
        *[t[k].is_not_distinct_from(sums.c[k]) if nullable_keys else t[k] == sums.c[k]
          for k in cols]
    )  # fmt: skip
    conn.execute(update(table).values({m: t[m] + sums.c[m] for m in measures}).where(same))
    new = select(*[sums.c[k] for k in cols], *[sums.c[m] for m in measures]).where(
        ~select(t.unit_id).where(same).exists()
    )
    if ordered:
        new = new.order_by(sums.c.unit_id, sums.c.day)
    conn.execute(insert(table).from_select([*cols, *measures], new))


def _add_projections(conn: Connection, g: Table) -> None:
    """The same changes summed over the keys each narrower daily table drops (see
    models.PROJECTIONS), added to it. Widest first, each summed from the one before (fewer
    rows to group than the full changes)."""
    source, made = g, []
    for projection in reversed(PROJECTIONS):
        source = add_summed(conn, source, projection.daily, (*projection.keys, "day"), True)
        made.append(source)
    for sums in made:
        sums.drop(conn)


def _add_projections_of(conn: Connection, frame: pd.DataFrame, tag: int) -> None:
    """`_add_projections` of changes held in memory (one row per key and day): each narrower
    table's sums grouped by pandas, widest first, instead of by SQL from the temporary
    table (the same groups: NULL keys group together in both)."""
    source = frame
    for projection in reversed(PROJECTIONS):
        cols = (*projection.keys, "day")
        source = (
            source.groupby(list(cols), dropna=False, sort=True)[list(MEASURES)].sum().reset_index()
        )
        table = projection.daily
        sums = Table(
            f"tmp_sum_{table.name}_{tag}",
            MetaData(),
            *[table.c[k]._copy() for k in cols],
            *[Column(m, Integer, nullable=False) for m in MEASURES],
            prefixes=["TEMPORARY"],
        )
        sums.create(conn)
        values = [
            *[_key_values(source, k) for k in projection.keys],
            np.datetime_as_string(source["day"].to_numpy(dtype="datetime64[D]")).tolist(),
            *[source[m].astype(np.int64).tolist() for m in MEASURES],
        ]
        _insert_rows(conn, sums, [*cols, *MEASURES], values)
        add_sums(conn, sums, table, cols, True)
        sums.drop(conn)


def _key_values(frame: pd.DataFrame, key: str) -> list:
    """A key column as the driver takes it (None for a missing field or procedure)."""
    if key == "field_id":
        ids = frame[key].to_numpy(dtype=float)
        missing = np.isnan(ids)
        out = np.where(missing, 0, ids).astype(np.int64).astype(object)
    elif key == "procedure_code":
        out = frame[key].to_numpy(dtype=object, copy=True)
        missing = pd.isna(out)
    else:
        return frame[key].astype(np.int64).tolist()
    out[missing] = None
    return out.tolist()


def _insert_rows(conn: Connection, table: Table, cols: list[str], values: list[list]) -> None:
    """Columns of values (a day as its ISO text) inserted into `table` as rows."""
    at = cols.index("day")
    if conn.dialect.name == "sqlite":  # a Date is its ISO text there
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            list(zip(*values, strict=True)),
        )
    else:
        values[at] = [dt.date.fromisoformat(v) for v in values[at]]
        conn.execute(
            insert(table), [dict(zip(cols, r, strict=True)) for r in zip(*values, strict=True)]
        )


def _refresh_monthly_projections(
    conn: Connection, units: list[int] | None, others_until: dt.date | None
) -> None:
    """The month-end totals summed per projection's keys, redone where rollup_monthly was:
    the rows of `units` (all when None), and the other units' months after `others_until`
    (copied forward when the horizon moved)."""
    m = rollup_monthly.c
    for projection in PROJECTIONS:
        table = projection.monthly
        redo: ColumnElement[bool] | None = None
        redo_here: ColumnElement[bool] | None = None
        if units is not None:
            redo, redo_here = m.unit_id.in_(units), table.c.unit_id.in_(units)
            if others_until is not None:
                redo = or_(redo, m.month > others_until)
                redo_here = or_(redo_here, table.c.month > others_until)
        stmt = delete(table)
        conn.execute(stmt if redo_here is None else stmt.where(redo_here))
        group = [m[k] for k in projection.keys] + [m.month]
        query = select(*group, *[func.sum(m[x]) for x in MEASURES]).group_by(*group)
        conn.execute(
            insert(table).from_select(
                [*projection.keys, "month", *MEASURES],
                query if redo is None else query.where(redo),
            )
        )


def _rebuild_month_end(conn: Connection, units: list[int] | None) -> None:
    """Month-end running totals, dense from each key's first month to the common horizon,
    so a total at any month end is one row per key (and later months repeat the last)."""
    r = rollup_daily.c
    old_horizon = horizon(conn)  # of the units not rebuilt (theirs were just deleted)
    newest_day = conn.execute(select(func.max(r.day))).scalar()
    if newest_day is None:
        return
    if isinstance(newest_day, str):  # SQLite: a date's text
        newest_day = dt.date.fromisoformat(newest_day)
    target = max(filter(None, [old_horizon, newest_day.replace(day=1)]))
    month = month_start(r.day)
    query = select(
        *[r[k] for k in KEYS], month.label("month"), *[func.sum(r[x]).label(x) for x in MEASURES]
    )
    if units is not None:
        query = query.where(r.unit_id.in_(units))
    query = query.group_by(*[r[k] for k in KEYS], month).order_by(*[r[k] for k in KEYS], month)
    _insert_month_end(conn, list(conn.execute(query)), target)
    _copy_forward(conn, units, old_horizon, target)


def _insert_month_end(conn: Connection, found: list, target: dt.date) -> None:
    """`found`: (keys…, month, sums…) per key and month, ordered by key then month. Inserts
    each key's running totals at every month end from its first month to `target`, months
    without rows repeating the total before. Whole arrays at once (a Python loop per month
    of each key cost a second at 200 000 imported dossiers), in the order a row-by-row walk
    would insert them."""
    if not found:
        return
    n = len(KEYS)
    columns = list(zip(*found, strict=True))
    keys = pd.DataFrame({k: pd.Series(columns[i], dtype=object) for i, k in enumerate(KEYS)})
    months = _month_numbers(columns[n])
    sums = np.array(columns[n + 1 :], dtype=object).T
    sums = np.where(pd.isna(sums), 0, sums).astype(np.int64)  # SUM of nothing is NULL
    # A new key where any key column differs from the row before (NULL equal to NULL).
    same = keys.eq(keys.shift()) | (keys.isna() & keys.shift().isna())
    starts = np.flatnonzero(~same.all(axis=1).to_numpy())
    ends = np.append(starts[1:], len(found))
    last = _month_numbers([target])[0]
    first = months[starts]
    spans = last - first + 1  # months from each key's first to the horizon, inclusive
    group = np.repeat(np.arange(len(starts)), spans)
    offset = np.arange(len(group)) - np.repeat(np.cumsum(spans) - spans, spans)
    dense_month = first[group] + offset
    # Each found row's sums at its (key, month) place, then running totals within each key.
    owner = np.repeat(np.arange(len(starts)), ends - starts)
    place = (np.cumsum(spans) - spans)[owner] + (months - first[owner])
    totals = np.zeros((len(group), len(MEASURES)), dtype=np.int64)
    totals[place] = sums
    totals = np.cumsum(totals, axis=0)
    before = np.cumsum(spans) - spans  # each key's first dense row
    carried = np.vstack([np.zeros((1, len(MEASURES)), dtype=np.int64), totals])[before]
    totals -= np.repeat(carried, spans, axis=0)
    key_rows = keys.iloc[starts[group]]
    month_days = dense_month.astype("datetime64[M]").astype("datetime64[D]")
    values = [
        key_rows["unit_id"].astype(np.int64).tolist(),
        [None if v is None or v != v else int(v) for v in key_rows["field_id"].tolist()],
        [None if v is None or v != v else v for v in key_rows["procedure_code"].tolist()],
        key_rows["channel"].astype(np.int64).tolist(),
        month_days.astype(object).tolist(),
        *totals.T.tolist(),
    ]
    cols = [*KEYS, "month", *MEASURES]
    if conn.dialect.name == "sqlite":  # a Date is its ISO text there
        values[len(KEYS)] = [d.isoformat() for d in values[len(KEYS)]]
        conn.exec_driver_sql(
            f"INSERT INTO {rollup_monthly.name} ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            list(zip(*values, strict=True)),
        )
    else:
        rows = [dict(zip(cols, v, strict=True)) for v in zip(*values, strict=True)]
        for i in range(0, len(rows), 5000):
            conn.execute(insert(rollup_monthly), rows[i : i + 5000])


def _month_numbers(months: Iterable) -> np.ndarray:
    """Months (dates, or a date's ISO text as SQLite returns it) as months since 1970-01."""
    days = np.array(
        [v if isinstance(v, str) else v.isoformat() for v in months], dtype="datetime64[D]"
    )
    return days.astype("datetime64[M]").astype(np.int64)


def _copy_forward(
    conn: Connection, units: list[int] | None, old_horizon: dt.date | None, target: dt.date
) -> None:
    """The units not rebuilt get the new months too: their last totals copied forward."""
    m = rollup_monthly.c
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
