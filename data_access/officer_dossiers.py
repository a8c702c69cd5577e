"""The dossiers behind one officer figure, each with its whole step timeline: what a click on
a number of the officer table opens. The conditions are the counts' own (data_access/
measures.py for overdue and handled, the late-step rule of dashboard/domain/steps.py), read
straight from the dossier and step tables of one unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, literal, or_, select

from data_access.measures import SQL, terms
from data_access.models import Dossier, Procedure, table_of
from data_access.queries import overdue_in
from data_access.step_models import Officer, OfficerAlias, Step
from data_access.step_rollups import member_of

D = table_of(Dossier)
S = table_of(Step)
A = table_of(OfficerAlias)
OF = table_of(Officer)
MEASURES = ("handled", "overdue", "late_steps", "open_steps")
LIMIT = 200  # dossiers listed behind one number (the count says how many there are)


@dataclass(frozen=True)
class StepLine:
    """One step of a dossier's timeline."""

    officer: str
    title: str
    kind: str
    department: str
    content: str
    start: dt.datetime
    end: dt.datetime | None
    deadline: dt.datetime | None
    work_minutes: float | None
    late: bool  # ended after its own deadline
    responsible: bool  # held the dossier at the end of its due day


@dataclass(frozen=True)
class DossierTimeline:
    """A dossier and its steps, in the order they ran."""

    code: str
    procedure: str
    received: dt.datetime | None
    due: dt.datetime | None
    finished: dt.datetime | None
    status: str
    steps: tuple[StepLine, ...]


def _day_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def member_dossiers(
    conn: Connection,
    unit_id: int,
    dim: str,
    member: str,
    measure: str,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> tuple[int, list[DossierTimeline]]:
    """How many dossiers stand behind the figure, and the first LIMIT of them with their
    timelines. `member` "" with measure "overdue": the chưa rõ bước dossiers."""
    if measure not in MEASURES:
        raise ValueError(f"Không có số liệu {measure}")
    r = terms(SQL(D))
    of_member = and_(S.c.dossier_id == D.c.id, member_of(dim) == member)
    steps_of = S.outerjoin(A, A.c.officer_id == S.c.officer_id)

    def with_step(*where: Any) -> Any:
        return exists(select(literal(1)).select_from(steps_of).where(of_member, *where))

    if measure == "overdue":
        overdue = overdue_in(start, end)
        holder = (
            ~exists(select(literal(1)).where(S.c.dossier_id == D.c.id, S.c.responsible))
            if member == ""
            else with_step(S.c.responsible)
        )
        condition = and_(overdue, holder)
    elif measure == "handled":
        condition = and_(
            r.accepted,
            r.received_day <= end,
            or_(D.c.finished_at.is_(None), r.finished_day >= start),
            with_step(),
        )
    elif measure == "open_steps":
        condition = with_step(
            S.c.start_at < _day_after(end),
            or_(S.c.ended_at.is_(None), S.c.ended_at >= _day_after(end)),
        )
    else:  # late steps: deadline before the period's end, not over before it began
        condition = with_step(
            S.c.deadline_at < _day_after(end),
            or_(
                and_(S.c.late, S.c.ended_at >= dt.datetime.combine(start, dt.time())),
                and_(S.c.ended_at.is_(None), S.c.deadline_at < now),
            ),
        )
    where = and_(D.c.unit_id == unit_id, D.c.received_at.is_not(None), condition)
    total = conn.execute(select(func.count()).select_from(D).where(where)).scalar() or 0
    rows = conn.execute(
        select(
            D.c.id,
            D.c.code,
            Procedure.name,
            D.c.received_at,
            D.c.due_at,
            D.c.finished_at,
            D.c.status_label,
        )
        .outerjoin(Procedure, Procedure.code == D.c.procedure_code)
        .where(where)
        .order_by(D.c.due_at, D.c.id)
        .limit(LIMIT)
    ).all()
    return int(total), _timelines(conn, rows)


def _timelines(conn: Connection, rows: Sequence[Any]) -> list[DossierTimeline]:
    ids = [r[0] for r in rows]
    steps: dict[int, list[StepLine]] = {i: [] for i in ids}
    if ids:
        found = conn.execute(
            select(
                S.c.dossier_id,
                OF.c.name,
                S.c.title,
                S.c.kind,
                S.c.department,
                S.c.content,
                S.c.start_at,
                S.c.ended_at,
                S.c.deadline_at,
                S.c.work_minutes,
                S.c.late,
                S.c.responsible,
            )
            .join(OF, OF.c.id == S.c.officer_id)
            .where(S.c.dossier_id.in_(ids))
            .order_by(S.c.dossier_id, S.c.start_at, S.c.seq)
        )
        for did, *rest in found:
            steps[did].append(StepLine(*rest))
    return [
        DossierTimeline(code, proc or "", rec, due, fin, status or "", tuple(steps[did]))
        for did, code, proc, rec, due, fin, status in rows
    ]


def late_days(
    conn: Connection,
    unit_id: int,
    dim: str,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> dict[str, float]:
    """Where the late days of the period's overdue dossiers were spent: per member, the
    calendar days between a dossier's M (the end of its due day) and its end (its finish, else
    the period's end or `now`) during which a step of the member was running."""
    overdue = overdue_in(start, end)
    member = member_of(dim)
    rows = conn.execute(
        select(member, S.c.start_at, S.c.ended_at, D.c.due_at, D.c.finished_at)
        .select_from(
            S.join(D, D.c.id == S.c.dossier_id).outerjoin(A, A.c.officer_id == S.c.officer_id)
        )
        .where(D.c.unit_id == unit_id, D.c.received_at.is_not(None), overdue)
    ).all()
    stop_at = min(_day_after(end), now)
    out: dict[str, float] = {}
    for who, began, ended, due, finished in rows:
        if due is None:
            continue
        m = _day_after(due.date()) - dt.timedelta(seconds=1)
        stop = min(finished or stop_at, stop_at)
        overlap = min(ended or stop, stop) - max(began, m)
        if overlap.total_seconds() > 0:
            out[str(who)] = out.get(str(who), 0.0) + overlap.total_seconds() / 86400
    return out
