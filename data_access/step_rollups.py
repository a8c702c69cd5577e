"""The officer counts: per (unit, dimension, member, field, day), what the officer figures sum.

Like the dossier rollups (data_access/rollups.py) every count is "how many X happen on this
day", so a period's figures are sums and differences of running totals (data_access/
officer_counts.py). The events are defined once, in SQL over the steps and their dossiers,
reusing the dossier measures (data_access/measures.py) for what "resolved late" or "pending
overdue" mean. A write takes away what the dossiers it changes contributed, changes them, and
adds what they contribute now, all in its transaction.

Dimensions: "o" officer (member: the person's id after aliases), "k" step kind, "d" department.
A holding is a (dossier, member) pair: the member had at least one step of the dossier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    tuple_,
)

from data_access import measures, rollups
from data_access.models import Dossier, table_of
from data_access.sqlfuncs import day_of
from data_access.step_models import (
    STEP_MEASURES,
    Officer,
    OfficerAlias,
    Step,
    step_daily,
    step_member_daily,
)

D = table_of(Dossier)
# The dossier columns the measures read (data_access/measures.py), for `add_columns`.
DOSSIER_COLUMNS = (
    "status",
    "channel",
    "received_at",
    "finished_at",
    "due_at",
    "submitted_at",
    "first_response_minutes",
    "digitized",
    "e_result",
    "has_fee",
    "paid_online",
    "reused_data",
    "national_store",
    "vneid",
    "supplement_count",
)
S = table_of(Step)
A = table_of(OfficerAlias)
DIMS = ("o", "k", "d")
KEYS = ("unit_id", "dim", "member", "field_id", "day")
_SQL = measures.SQL(D)


def person() -> Any:
    """A step's person: its officer, or the one the office merged it into."""
    return func.coalesce(A.c.person_id, S.c.officer_id)


def member_of(dim: str) -> Any:
    """The member of a step in dimension `dim`, as text."""
    if dim == "o":
        return cast(person(), String)
    return S.c.kind if dim == "k" else S.c.department


def _row(unit, dim: str, member, field, day, **counts: Any) -> list:
    cols = [
        unit.label("unit_id"),
        literal(dim).label("dim"),
        member.label("member"),
        func.coalesce(field, 0).label("field_id"),
        day.label("day"),
    ]
    return cols + [counts.get(m, literal(0)).label(m) for m in STEP_MEASURES]


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _holdings_select(dim: str, only: Any) -> Any:
    """(dossier, dim, member, holds, receives) of the dossiers `only` selects: a member holds
    a dossier when one of its steps is the responsible one, receives it with the reception."""
    steps_of = S.outerjoin(A, A.c.officer_id == S.c.officer_id)
    member = member_of(dim)
    return (
        select(
            S.c.dossier_id,
            literal(dim),
            member,
            func.max(_flag(S.c.responsible)),
            func.max(_flag(S.c.reception)),
        )
        .select_from(steps_of)
        .where(_of(only))
        .group_by(S.c.dossier_id, member)
    )


def persons(conn: Connection, units: list[int]) -> dict[int, int]:
    """Officer -> the person it counts as, for the merged officers of these units."""
    OF = table_of(Officer)
    out: dict[int, int] = {}
    for k in range(0, len(units), 500):
        rows = conn.execute(
            select(A.c.officer_id, A.c.person_id)
            .join(OF, OF.c.id == A.c.officer_id)
            .where(OF.c.unit_id.in_(units[k : k + 500]))
        )
        out.update({int(o): int(p) for o, p in rows})
    return out


def _of(only: Any) -> Any:
    """The steps of the dossiers `only` selects (None: every step)."""
    return literal(True) if only is None else S.c.dossier_id.in_(only)


def _dossier_branches(holdings: Table) -> list:
    """The SELECTs of the dossier events of every (dossier, member) pair in `holdings`."""
    h = holdings.c
    on_dossier = holdings.join(D, D.c.id == h.dossier_id)
    out = []

    def dossier_event(measure: str, extra: Any, **counts: Any) -> None:
        day, condition = measures.event_of(_SQL, measure)
        cols = [
            D.c.unit_id.label("unit_id"),
            h.dim.label("dim"),
            h.member.label("member"),
            func.coalesce(D.c.field_id, 0).label("field_id"),
            day.label("day"),
        ] + [counts.get(m, literal(0)).label(m) for m in STEP_MEASURES]
        out.append(select(*cols).select_from(on_dossier).where(and_(condition, extra)))

    one = literal(1)
    dossier_event("received", literal(True), handled_in=one)
    dossier_event("finished", literal(True), handled_out=one)
    dossier_event("resolved_late", h.holds == 1, late_resolved=one)
    dossier_event("overdue_start", h.holds == 1, overdue_start=one)
    dossier_event("overdue_end", h.holds == 1, overdue_end=one)
    _, answered = measures.event_of(_SQL, "online_answered_6h")
    dossier_event(
        "online_submitted",
        h.receives == 1,
        online_submitted=one,
        online_answered_6h=_flag(answered),
    )
    return out


def _step_branches(dim: str, only: Any) -> list:
    """The SELECTs of this dimension's step events of the dossiers `only` selects."""
    member = member_of(dim)
    out = []
    one = literal(1)
    step_rows = S.join(D, D.c.id == S.c.dossier_id).outerjoin(A, A.c.officer_id == S.c.officer_id)

    def step_event(day: Any, where: Any, **counts: Any) -> None:
        out.append(
            select(*_row(S.c.unit_id, dim, member, D.c.field_id, day, **counts))
            .select_from(step_rows)
            .where(and_(_of(only), where))
        )

    step_event(day_of(S.c.start_at), literal(True), steps_started=one)
    step_event(day_of(S.c.ended_at), S.c.ended_at.is_not(None), steps_ended=one)
    late_or_open = S.c.late | S.c.ended_at.is_(None)
    step_event(day_of(S.c.deadline_at), S.c.deadline_at.is_not(None) & late_or_open, late_due=one)
    step_event(day_of(S.c.ended_at), S.c.late, late_ended=one)
    return out


class StepDelta:
    """Officer-count changes of one write, gathered in a temporary table and added to the
    per-day tables in SQL."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.table = Table(
            f"tmp_step_delta_{id(self)}",
            MetaData(),
            Column("unit_id", Integer),
            Column("dim", String(1)),
            Column("member", String(200)),
            Column("field_id", Integer),
            Column("day", step_daily.c.day.type),
            *[Column(m, Integer, nullable=False) for m in STEP_MEASURES],
            prefixes=["TEMPORARY"],
        )
        self.table.create(conn)
        self.holdings = Table(
            f"tmp_step_holdings_{id(self)}",
            MetaData(),
            Column("dossier_id", Integer),
            Column("dim", String(1)),
            Column("member", String(200)),
            Column("holds", Integer),
            Column("receives", Integer),
            prefixes=["TEMPORARY"],
        )
        self.holdings.create(conn)

    def add(self, only: Any, sign: int = 1) -> None:
        """Add (sign 1) or take away (-1) the events of the dossiers whose ids `only` (a
        SELECT of dossier ids, or a list; None: every dossier with steps) gives."""
        # The (dossier, member) pairs once, not once per event: the grouping of every step
        # of the dossiers is the costly part.
        self.conn.execute(delete(self.holdings))
        for dim in DIMS:
            self.conn.execute(
                insert(self.holdings).from_select(
                    ["dossier_id", "dim", "member", "holds", "receives"],
                    _holdings_select(dim, only),
                )
            )
        branches = _dossier_branches(self.holdings)
        branches += [b for dim in DIMS for b in _step_branches(dim, only)]
        # Each event grouped on its own: one GROUP BY over the union of every event (millions
        # of rows in a bulk load, eleven sums each) cost SQLite 15 times more; the delta
        # table's rows are summed again when applied.
        for branch in branches:
            ev = branch.subquery("ev")
            group = [ev.c[k] for k in KEYS]
            self.conn.execute(
                insert(self.table).from_select(
                    [*KEYS, *STEP_MEASURES],
                    select(*group, *[sign * func.sum(ev.c[m]) for m in STEP_MEASURES])
                    .where(ev.c.day.is_not(None))
                    .group_by(*group),
                )
            )

    def add_columns(
        self, steps: pd.DataFrame, dossiers: pd.DataFrame, persons: dict[int, int]
    ) -> None:
        """Add the events of histories held in memory (the steps just written, with their
        worked-out columns, and their dossiers' columns, indexed by id), by the same
        definitions as `add`, without reading them back: the path of large imports and the
        demo. `persons` maps a merged officer to the person it counts as."""
        if steps.empty:
            return
        pos = dossiers.index.get_indexer(pd.Index(steps["dossier_id"].to_numpy()))
        b = measures.Arrays({c: dossiers[c].to_numpy() for c in DOSSIER_COLUMNS})
        unit_of = dossiers["unit_id"].to_numpy()
        field_of = dossiers["field_id"].fillna(0).astype(np.int64).to_numpy()
        officer = steps["officer_id"].to_numpy(dtype=np.int64)
        members = {
            "o": np.array([str(persons.get(int(o), int(o))) for o in officer], dtype=object),
            "k": steps["kind"].to_numpy(dtype=object),
            "d": steps["department"].to_numpy(dtype=object),
        }
        parts: list[pd.DataFrame] = []

        def emit(unit, dim, member, field, day, counts: dict[str, Any], where) -> None:
            n = len(day)
            rows = np.flatnonzero(
                np.broadcast_to(np.asarray(where, dtype=bool), n) & ~np.isnat(day)
            )
            if not len(rows):
                return
            part = pd.DataFrame(
                {
                    "unit_id": unit[rows],
                    "dim": dim,
                    "member": member[rows],
                    "field_id": field[rows],
                    "day": day[rows],
                }
            )
            for m, v in counts.items():
                part[m] = np.broadcast_to(np.asarray(v, dtype=np.int64), n)[rows]
            parts.append(part.groupby(list(KEYS), sort=False)[list(counts)].sum().reset_index())

        events = {
            name: measures.event_of(b, name)
            for name in (
                "received",
                "finished",
                "resolved_late",
                "overdue_start",
                "overdue_end",
                "online_submitted",
                "online_answered_6h",
            )
        }
        events = {k: (np.asarray(d).astype("datetime64[D]"), np.asarray(c, dtype=bool))
                  for k, (d, c) in events.items()}  # fmt: skip
        for dim in DIMS:
            held = (
                pd.DataFrame(
                    {
                        "pos": pos,
                        "member": members[dim],
                        "holds": steps["responsible"].to_numpy(dtype=bool),
                        "receives": steps["reception"].to_numpy(dtype=bool),
                    }
                )
                .groupby(["pos", "member"], sort=False)
                .max()
                .reset_index()
            )
            p = held["pos"].to_numpy()
            member = held["member"].to_numpy(dtype=object)
            holds = held["holds"].to_numpy()
            receives = held["receives"].to_numpy()
            unit, field = unit_of[p], field_of[p]

            def dossier_event(name: str, extra, measure: str, dim=dim, p=p, member=member,
                              unit=unit, field=field) -> None:  # fmt: skip
                day, cond = events[name]
                emit(unit, dim, member, field, day[p], {measure: 1}, cond[p] & extra)

            dossier_event("received", True, "handled_in")
            dossier_event("finished", True, "handled_out")
            dossier_event("resolved_late", holds, "late_resolved")
            dossier_event("overdue_start", holds, "overdue_start")
            dossier_event("overdue_end", holds, "overdue_end")
            day, cond = events["online_submitted"]
            answered = events["online_answered_6h"][1]
            emit(
                unit,
                dim,
                member,
                field,
                day[p],
                {"online_submitted": 1, "online_answered_6h": answered[p]},
                cond[p] & receives,
            )
            s_unit = steps["unit_id"].to_numpy(dtype=np.int64)
            s_field = field_of[pos]
            ended = steps["ended_at"].to_numpy(dtype="datetime64[us]")
            deadline = steps["deadline_at"].to_numpy(dtype="datetime64[us]")
            late = steps["late"].to_numpy(dtype=bool)
            start_day = steps["start_at"].to_numpy(dtype="datetime64[us]").astype("datetime64[D]")
            end_day = ended.astype("datetime64[D]")
            m = members[dim]
            emit(s_unit, dim, m, s_field, start_day, {"steps_started": 1}, True)
            emit(s_unit, dim, m, s_field, end_day, {"steps_ended": 1}, ~np.isnat(ended))
            emit(s_unit, dim, m, s_field, deadline.astype("datetime64[D]"), {"late_due": 1},
                 ~np.isnat(deadline) & (late | np.isnat(ended)))  # fmt: skip
            emit(s_unit, dim, m, s_field, end_day, {"late_ended": 1}, late)
        if not parts:
            return
        grouped = pd.concat(parts).fillna(0).groupby(list(KEYS), sort=False).sum().reset_index()
        grouped = grouped.reindex(columns=[*KEYS, *STEP_MEASURES], fill_value=0)
        values = [
            grouped["unit_id"].astype(np.int64).tolist(),
            grouped["dim"].tolist(),
            [str(v) for v in grouped["member"].tolist()],
            grouped["field_id"].astype(np.int64).tolist(),
            np.datetime_as_string(grouped["day"].to_numpy(dtype="datetime64[D]")).tolist(),
            *[grouped[m].astype(np.int64).tolist() for m in STEP_MEASURES],
        ]
        cols = (*KEYS, *STEP_MEASURES)
        rows = list(zip(*values, strict=True))
        if self.conn.dialect.name == "sqlite":  # a Date is its ISO text there
            self.conn.exec_driver_sql(
                f"INSERT INTO {self.table.name} ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})",
                rows,
            )
            return
        values[4] = [dt.date.fromisoformat(v) for v in values[4]]
        self.conn.execute(
            insert(self.table), [dict(zip(cols, r, strict=True)) for r in zip(*values, strict=True)]
        )

    def apply(self) -> None:
        """Add the gathered changes to step_daily and step_member_daily, drop rows that are
        all zero, and the temporary table."""
        for table, keys in (
            (step_daily, KEYS),
            (step_member_daily, ("unit_id", "dim", "member", "day")),
        ):
            _add_summed(self.conn, self.table, table, keys)
        self.table.drop(self.conn)
        self.holdings.drop(self.conn)


def _add_summed(conn: Connection, changes: Table, table: Table, keys: tuple[str, ...]) -> None:
    """`changes` added to `table` (data_access/rollups.add_summed), then the rows of the keys
    touched that came back to zero (a dossier re-imported elsewhere) deleted: looked up by
    key, not by a correlated EXISTS per stored row."""
    sums = rollups.add_summed(
        conn, changes, table, keys, measures=STEP_MEASURES, nullable_keys=False
    )
    t = table.c
    touched = tuple_(*[t[k] for k in keys]).in_(select(*[sums.c[k] for k in keys]))
    conn.execute(delete(table).where(and_(*[t[m] == 0 for m in STEP_MEASURES], touched)))
    sums.drop(conn)


def rebuild(conn: Connection, units: Iterable[int] | None = None) -> None:
    """Recompute the officer counts of `units` (all when None) from the steps."""
    units = None if units is None else sorted(set(units))
    for table in (step_daily, step_member_daily):
        stmt = delete(table)
        if units is not None:
            stmt = stmt.where(table.c.unit_id.in_(units))
        conn.execute(stmt)
    ids = None if units is None else select(S.c.dossier_id).where(S.c.unit_id.in_(units))
    delta = StepDelta(conn)
    delta.add(ids)
    delta.apply()
