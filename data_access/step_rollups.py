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

from collections.abc import Iterable
from typing import Any

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
    union_all,
    update,
)

from data_access import measures
from data_access.models import Dossier, table_of
from data_access.sqlfuncs import day_of
from data_access.step_models import (
    STEP_MEASURES,
    OfficerAlias,
    Step,
    step_daily,
    step_member_daily,
)

D = table_of(Dossier)
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


def _branches(dim: str, only: Any) -> list:
    """The SELECTs whose rows are this dimension's events of the dossiers `only` selects."""
    steps_of = S.outerjoin(A, A.c.officer_id == S.c.officer_id)
    member = member_of(dim)
    holdings = (
        select(
            S.c.dossier_id.label("dossier_id"),
            member.label("member"),
            func.max(_flag(S.c.responsible)).label("holds"),
            func.max(_flag(S.c.reception)).label("receives"),
        )
        .select_from(steps_of)
        .where(S.c.dossier_id.in_(only))
        .group_by(S.c.dossier_id, member)
        .subquery("h")
    )
    h = holdings.c
    on_dossier = holdings.join(D, D.c.id == h.dossier_id)
    out = []

    def dossier_event(measure: str, extra: Any, **counts: Any) -> None:
        day, condition = measures.event_of(_SQL, measure)
        out.append(
            select(*_row(D.c.unit_id, dim, h.member, D.c.field_id, day, **counts))
            .select_from(on_dossier)
            .where(and_(condition, extra))
        )

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
    step_rows = S.join(D, D.c.id == S.c.dossier_id).outerjoin(A, A.c.officer_id == S.c.officer_id)

    def step_event(day: Any, where: Any, **counts: Any) -> None:
        out.append(
            select(*_row(S.c.unit_id, dim, member, D.c.field_id, day, **counts))
            .select_from(step_rows)
            .where(and_(S.c.dossier_id.in_(only), where))
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
        self.units: set[int] = set()

    def add(self, only: Any, sign: int = 1) -> None:
        """Add (sign 1) or take away (-1) the events of the dossiers whose ids `only` (a
        SELECT of dossier ids, or a list) gives."""
        branches = [b for dim in DIMS for b in _branches(dim, only)]
        ev = union_all(*branches).subquery("ev")
        group = [ev.c[k] for k in KEYS]
        self.conn.execute(
            insert(self.table).from_select(
                [*KEYS, *STEP_MEASURES],
                select(*group, *[sign * func.sum(ev.c[m]) for m in STEP_MEASURES])
                .where(ev.c.day.is_not(None))
                .group_by(*group),
            )
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


def _add_summed(conn: Connection, changes: Table, table: Table, keys: tuple[str, ...]) -> None:
    c, t = changes.c, table.c
    sums = Table(
        f"tmp_step_sum_{table.name}_{id(changes)}",
        MetaData(),
        *[Column(k, table.c[k].type) for k in keys],
        *[Column(m, Integer, nullable=False) for m in STEP_MEASURES],
        prefixes=["TEMPORARY"],
    )
    sums.create(conn)
    key_cols = [c[k] for k in keys]
    conn.execute(
        insert(sums).from_select(
            [*keys, *STEP_MEASURES],
            select(*key_cols, *[func.sum(c[m]) for m in STEP_MEASURES]).group_by(*key_cols),
        )
    )
    same = and_(*[t[k] == sums.c[k] for k in keys])
    conn.execute(update(table).values({m: t[m] + sums.c[m] for m in STEP_MEASURES}).where(same))
    conn.execute(
        insert(table).from_select(
            [*keys, *STEP_MEASURES],
            select(*[sums.c[k] for k in keys], *[sums.c[m] for m in STEP_MEASURES]).where(
                ~select(t.unit_id).where(same).exists()
            ),
        )
    )
    # A count taken back to zero everywhere (a dossier re-imported elsewhere): no row.
    conn.execute(
        delete(table).where(
            and_(*[t[m] == 0 for m in STEP_MEASURES], select(sums.c[keys[0]]).where(same).exists())
        )
    )
    sums.drop(conn)


def rebuild(conn: Connection, units: Iterable[int] | None = None) -> None:
    """Recompute the officer counts of `units` (all when None) from the steps."""
    units = None if units is None else sorted(set(units))
    for table in (step_daily, step_member_daily):
        stmt = delete(table)
        if units is not None:
            stmt = stmt.where(table.c.unit_id.in_(units))
        conn.execute(stmt)
    ids = select(S.c.dossier_id).distinct()
    if units is not None:
        ids = ids.where(S.c.unit_id.in_(units))
    delta = StepDelta(conn)
    delta.add(ids)
    delta.apply()
