"""Officer, step-kind and department figures of a period, summed from the per-day officer
counts (data_access/step_rollups.py), plus the two things a sum cannot give: open steps whose
own deadline is still ahead (not late yet) and the median working time per step.

For a period [a, b] and a member of a dimension (officer, kind or department):
- handled = Σ_{day≤b} handled_in − Σ_{day<a} handled_out (its dossiers in H);
- overdue = Σ_{a≤day≤b} late_resolved + Σ_{day<b} overdue_start − Σ_{day≤b} overdue_end
  (resolved late in P, or pending overdue at b, with the member's step responsible);
- late steps = Σ_{day≤b} late_due − Σ_{day<a} late_ended − open steps whose deadline is not
  yet passed (by `now`) but falls on a day ≤ b;
- open steps = Σ_{day≤b} steps_started − Σ_{day≤b} steps_ended (open at the end of b);
- online reception: Σ_{a..b} online_submitted and online_answered_6h.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select

from data_access.models import Dossier, table_of
from data_access.sqlfuncs import day_of
from data_access.step_models import Officer, OfficerAlias, Step, step_daily, step_member_daily
from data_access.step_rollups import member_of

S = table_of(Step)
A = table_of(OfficerAlias)
D = table_of(Dossier)
OF = table_of(Officer)


@dataclass(frozen=True)
class MemberFigures:
    """One member's raw counts for a period."""

    handled: int = 0
    overdue: int = 0
    late_steps: int = 0
    open_steps: int = 0
    online_submitted: int = 0
    online_answered_6h: int = 0
    median_minutes: float | None = None
    steps_ended: int = 0  # own steps that ended in the period
    late_ended: int = 0  # of them, after their own deadline


def member_counts(
    conn: Connection,
    start: dt.date,
    end: dt.date,
    units: Sequence[int],
    dim: str,
    now: dt.datetime,
    field_ids: Sequence[int] | None = None,
    medians: bool = True,
) -> dict[tuple[int, str], MemberFigures]:
    """(unit id, member) -> counts for [start, end] in dimension `dim` ("o", "k", "d"); the
    officer member is the person's id as text. Without `medians` the median working time
    (a pass over the period's steps, not a sum) is left out."""
    t = step_daily if field_ids is not None else step_member_daily
    c = t.c

    def total(measure: str, condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, c[measure]), else_=0)), 0)

    where = [c.unit_id.in_(list(units)), c.dim == dim, c.day <= end]
    if field_ids is not None:
        where.append(c.field_id.in_(list(field_ids) or [-1]))
    rows = conn.execute(
        select(
            c.unit_id,
            c.member,
            total("handled_in", literal(True)) - total("handled_out", c.day < start),
            total("late_resolved", c.day >= start)
            + total("overdue_start", c.day < end)
            - total("overdue_end", literal(True)),
            total("late_due", literal(True)) - total("late_ended", c.day < start),
            total("steps_started", literal(True)) - total("steps_ended", literal(True)),
            total("online_submitted", c.day >= start),
            total("online_answered_6h", c.day >= start),
            total("steps_ended", c.day >= start),
            total("late_ended", c.day >= start),
        )
        .where(*where)
        .group_by(c.unit_id, c.member)
    ).all()
    ahead = _deadline_ahead(conn, end, units, dim, now, field_ids)
    middle = median_minutes(conn, start, end, units, dim, field_ids) if medians else {}
    out = {}
    for unit_id, member, handled, overdue, late, open_, online, answered, ended, late_end in rows:
        key = (int(unit_id), str(member))
        out[key] = MemberFigures(
            int(handled),
            int(overdue),
            int(late) - ahead.get(key, 0),
            int(open_),
            int(online),
            int(answered),
            middle.get(key),
            int(ended),
            int(late_end),
        )
    return {k: v for k, v in out.items() if any(_values(v))}


def _values(f: MemberFigures) -> tuple:
    return (f.handled, f.overdue, f.late_steps, f.open_steps, f.online_submitted)


def _steps_of(units: Sequence[int], field_ids: Sequence[int] | None) -> tuple[Any, list]:
    joined = S.outerjoin(A, A.c.officer_id == S.c.officer_id)
    where = [S.c.unit_id.in_(list(units))]
    if field_ids is not None:
        joined = joined.join(D, D.c.id == S.c.dossier_id)
        where.append(D.c.field_id.in_(list(field_ids) or [-1]))
    return joined, where


def _deadline_ahead(
    conn: Connection,
    end: dt.date,
    units: Sequence[int],
    dim: str,
    now: dt.datetime,
    field_ids: Sequence[int] | None,
) -> dict[tuple[int, str], int]:
    """Open steps counted in late_due whose deadline is still ahead of `now`."""
    if now.date() > end:
        return {}  # every deadline up to the period's end has passed
    joined, where = _steps_of(units, field_ids)
    member = member_of(dim)
    rows = conn.execute(
        select(S.c.unit_id, member, func.count())
        .select_from(joined)
        .where(
            *where,
            S.c.ended_at.is_(None),
            S.c.deadline_at >= now,
            day_of(S.c.deadline_at) <= end,
        )
        .group_by(S.c.unit_id, member)
    ).all()
    return {(int(u), str(m)): int(n) for u, m, n in rows}


def median_minutes(
    conn: Connection,
    start: dt.date,
    end: dt.date,
    units: Sequence[int],
    dim: str,
    field_ids: Sequence[int] | None,
) -> dict[tuple[int, str], float]:
    """Median working minutes of the steps that ended in the period, per member: the middle
    value, or the mean of the two middle ones."""
    joined, where = _steps_of(units, field_ids)
    member = member_of(dim).label("member")
    ranked = (
        select(
            S.c.unit_id.label("unit_id"),
            member,
            S.c.work_minutes.label("w"),
            func.row_number()
            .over(partition_by=[S.c.unit_id, member], order_by=S.c.work_minutes)
            .label("r"),
            func.count().over(partition_by=[S.c.unit_id, member]).label("n"),
        )
        .select_from(joined)
        .where(
            *where,
            S.c.ended_at >= dt.datetime.combine(start, dt.time()),
            S.c.ended_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
            S.c.work_minutes.is_not(None),
        )
        .subquery()
    )
    r = ranked.c
    middle = and_(r.r >= (r.n + 1) / 2, r.r <= r.n / 2 + 1)
    rows = conn.execute(
        select(r.unit_id, r.member, func.avg(r.w)).where(middle).group_by(r.unit_id, r.member)
    ).all()
    return {(int(u), str(m)): float(v) for u, m, v in rows}


def officer_names(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """Officer id -> (display name, title, key)."""
    out = {}
    ids = sorted({int(i) for i in ids})
    for k in range(0, len(ids), 500):
        for oid, name, title, key in conn.execute(
            select(OF.c.id, OF.c.name, OF.c.title, OF.c.key).where(OF.c.id.in_(ids[k : k + 500]))
        ):
            out[int(oid)] = (name, title, key)
    return out


def persons_of(conn: Connection, unit_ids: Sequence[int], key: str) -> set[int]:
    """The persons (ids after aliases) an officer key names in these units: what an officer
    account may see of itself."""
    rows = conn.execute(
        select(func.coalesce(A.c.person_id, OF.c.id))
        .select_from(OF.outerjoin(A, A.c.officer_id == OF.c.id))
        .where(OF.c.unit_id.in_(list(unit_ids)), OF.c.key == key)
    ).all()
    return {int(r[0]) for r in rows}
