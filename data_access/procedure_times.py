"""Per procedure: the dossiers resolved in a period, how long they took and how long they were
given (calendar days from reception, averaged in the database), and how many were late by the
directive's rule (data_access.measures, as the rollups count them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, select

from data_access.measures import DAYS, DEFINITIONS, SQL, terms
from data_access.models import Dossier, Procedure, table_of
from data_access.sqlfuncs import days_between

MEASURE = {m.name: m.condition for m in DEFINITIONS}


@dataclass(frozen=True)
class ProcedureTime:
    """One procedure's resolved dossiers in a period."""

    code: str
    name: str
    resolved: int
    late: int
    days_taken: float | None  # mean calendar days from reception to result
    days_given: float | None  # mean calendar days from reception to the due date


def procedure_times(
    engine: Engine, unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> list[ProcedureTime]:
    """Every procedure with a dossier of `unit_ids` resolved from `start` to `end`, the most
    resolved first."""
    table = table_of(Dossier)
    d = table.c
    sql = SQL(table)
    t = terms(sql)
    finished_day, finished = DAYS["finished"]
    resolved = and_(
        d.unit_id.in_(list(unit_ids)),
        finished_day(t).between(start, end),
        finished(sql, t),
        MEASURE["resolved"](sql, t),
    )
    count = func.count()
    query = (
        select(
            d.procedure_code,
            func.max(Procedure.name),
            count,
            func.sum(case((MEASURE["resolved_late"](sql, t), 1), else_=0)),
            func.avg(days_between(d.received_at, d.finished_at)),
            func.avg(days_between(d.received_at, d.due_at)),
        )
        .outerjoin(Procedure, Procedure.code == d.procedure_code)
        .where(resolved)
        .group_by(d.procedure_code)
        .order_by(count.desc(), d.procedure_code)
    )
    with engine.connect() as conn:
        return [
            ProcedureTime(
                code or "",
                name or "",
                int(n),
                int(late or 0),
                None if taken is None else float(taken),
                None if given is None else float(given),
            )
            for code, name, n, late, taken, given in conn.execute(query)
        ]
