"""Aggregate queries (SQLAlchemy Core); they return plain rows, never ORM objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, and_, case, func, or_, select

from dashboard.domain.records import ProblemDossier, UnitCount
from dashboard.domain.units import RECEIVING_KINDS, UnitRow, Units
from dashboard.domain.vocabulary import ProblemKind
from data_access import versioning
from data_access.measures import SQL, terms
from data_access.models import Dossier, Field, Procedure, Target, Unit, UnitLink, table_of


def unit_dossier_counts(engine: Engine) -> list[UnitCount]:
    """Every unit version that receives dossiers, with its dossier count and newest reception."""
    per_unit = (
        select(
            Dossier.unit_id,
            func.count().label("n"),
            func.max(Dossier.received_at).label("newest"),
        )
        .group_by(Dossier.unit_id)
        .subquery()
    )
    query = (
        select(Unit, per_unit.c.n, per_unit.c.newest)
        .outerjoin(per_unit, per_unit.c.unit_id == Unit.id)
        .where(Unit.kind.in_(RECEIVING_KINDS))
    )
    with engine.connect() as conn:
        return [
            UnitCount(r.id, r.code, r.name, r.kind, r.valid_from, r.valid_to, r.n or 0, r.newest)
            for r in conn.execute(query)
        ]


def data_date_range(engine: Engine) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Oldest and newest reception time over all dossiers (None, None when there are none).

    Per unit, then over the units: each unit's min and max is one search of the (unit,
    reception) index, where a min/max over the table reads all of it (0,3 s at 5 million on
    SQLite; every command and the first page after an import ask for it)."""
    with engine.connect() as conn:
        return _date_range(conn)


def _date_range(conn: Connection) -> tuple[dt.datetime | None, dt.datetime | None]:
    d = table_of(Dossier)
    first = select(func.min(d.c.received_at)).where(d.c.unit_id == Unit.id).scalar_subquery()
    last = select(func.max(d.c.received_at)).where(d.c.unit_id == Unit.id).scalar_subquery()
    row = conn.execute(select(func.min(first), func.max(last)).select_from(Unit)).one()
    return _moment(row[0]), _moment(row[1])


def dossiers_cover(conn: Connection, start: dt.date, end: dt.date) -> bool:
    """Whether the dossier list reaches into [start, end]: a period before the first
    reception or after the newest has no dossier data (not a period of zero dossiers)."""
    first, last = _date_range(conn)
    return first is not None and last is not None and first.date() <= end and last.date() >= start


def _moment(value: object) -> dt.datetime | None:
    # A scalar subquery loses the column's type: SQLite returns its ISO text.
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def district_name(engine: Engine) -> str | None:
    """Name of the (first) district in the units table, for the page header."""
    with engine.connect() as conn:
        return conn.execute(
            select(Unit.name).where(Unit.kind == "district").order_by(Unit.code).limit(1)
        ).scalar()


def all_units(conn: Connection) -> Units:
    """Every unit version, with its parent, predecessors and carrying successor."""
    links = conn.execute(
        select(UnitLink.predecessor_id, UnitLink.successor_id, UnitLink.carries_dossiers)
    ).all()
    carrier = {p: s for p, s, carries in links if carries}
    predecessors: dict[int, list[int]] = {}
    for p, s, _carries in links:
        predecessors.setdefault(s, []).append(p)
    rows = conn.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.kind,
            Unit.parent_id,
            Unit.valid_from,
            Unit.valid_to,
            Unit.sort_order,
        )
    )
    return Units(
        UnitRow(*r, carrier.get(r.id), tuple(sorted(predecessors.get(r.id, ())))) for r in rows
    )


def target_rows(conn: Connection) -> list[tuple[str, float, dt.date, int | None]]:
    """Configured targets: (indicator, value, effective_from, unit version id)."""
    return [
        (r.indicator, r.value, r.effective_from, r.unit_id)
        for r in conn.execute(
            select(Target.indicator, Target.value, Target.effective_from, Target.unit_id)
        )
    ]


def fields(conn: Connection) -> dict[int, str]:
    """Field id -> name."""
    return dict(conn.execute(select(Field.id, Field.name)).all())


def procedures(conn: Connection) -> dict[str, tuple[str, int, bool, bool]]:
    """Procedure code -> (name, field id, has fee, offered online)."""
    return {
        r.code: (r.name, r.field_id, r.has_fee, r.online)
        for r in conn.execute(
            select(
                Procedure.code,
                Procedure.name,
                Procedure.field_id,
                Procedure.has_fee,
                Procedure.online,
            )
        )
    }


def data_version(engine: Engine) -> str:
    """Changes with every write, by any process (data_access.versioning): part of every cache
    key, so cached figures are never served after the data changed."""
    return versioning.current(engine)


def overdue_in(start: dt.date, end: dt.date) -> Any:
    """The condition of a dossier counted overdue for [start, end] (resolved late in it, or
    pending overdue at its end), over the dossier table, as the rollups count it."""
    r = terms(SQL(table_of(Dossier)))
    d = table_of(Dossier).c
    return or_(
        and_(r.resolved, r.finished_day.between(start, end), r.finished_day > r.due_day),
        and_(
            r.can_be_overdue,
            r.overdue_day < end,
            or_(d.finished_at.is_(None), r.finished_day > end),
        ),
    )


def problem_dossiers(
    engine: Engine, unit_ids: list[int], start: dt.date, end: dt.date
) -> list[ProblemDossier]:
    """The dossiers counted as overdue, paused or returned for [start, end], by the same
    conditions the rollups count (data_access.measures), straight from the dossier table."""
    r = terms(SQL(table_of(Dossier)))
    d = table_of(Dossier).c
    in_period = r.finished_day.between(start, end)
    kinds = {
        ProblemKind.OVERDUE: overdue_in(start, end),
        ProblemKind.PAUSED: and_(
            r.accepted, d.status == "paused", d.finished_at.is_(None), r.received_day <= end
        ),
        ProblemKind.RETURNED: and_(d.status == "returned", in_period),
    }
    # The three kinds exclude one another (status and dates), so one pass over the unit's
    # dossiers labels each row: a third of the work of three queries at a million rows.
    kind = case(*[(cond, name) for name, cond in kinds.items()], else_=None).label("kind")
    order = case(*[(kind == name, i) for i, name in enumerate(kinds)])
    query = (
        select(kind, d.code, Procedure.name, d.received_at, d.due_at, d.finished_at, d.status_label)
        .outerjoin(Procedure, Procedure.code == d.procedure_code)
        .where(
            d.unit_id.in_(unit_ids),
            d.received_at.is_not(None),
            # Every kind was received by the period's end: bounds the index range.
            d.received_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
            or_(*kinds.values()),
        )
        .order_by(order, d.received_at)
    )
    with engine.connect() as conn:
        out = [ProblemDossier(*row) for row in conn.execute(query)]
    return out
