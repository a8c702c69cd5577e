"""Who holds each open dossier on a day (the officer of its step running at the day's end),
and the open steps already past their own deadline: the early warning "per officer"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, or_, select

from data_access.models import Dossier, table_of
from data_access.step_models import Officer, OfficerAlias, Step

D = table_of(Dossier)
S = table_of(Step)
A = table_of(OfficerAlias)
OF = table_of(Officer)


@dataclass(frozen=True)
class Holding:
    """The step a dossier is at on the day: its officer (after merges) and own deadline."""

    officer_id: int
    officer: str
    kind: str
    deadline: dt.datetime | None
    past_deadline: bool  # the step's own deadline passed before the day ended


def open_holders(
    conn: Connection, unit_ids: Sequence[int], as_of: dt.date
) -> dict[tuple[int, str], Holding]:
    """(unit id, dossier code) -> the step running at the end of `as_of` (the latest started
    when the export lists two), for the dossiers of these units still open that day."""
    after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    person = func.coalesce(A.c.person_id, S.c.officer_id)
    P = OF.alias("p")  # the person a merged officer counts as
    rows = conn.execute(
        select(D.c.unit_id, D.c.code, person, P.c.name, S.c.kind, S.c.deadline_at, S.c.start_at)
        .select_from(
            S.join(D, D.c.id == S.c.dossier_id)
            .outerjoin(A, A.c.officer_id == S.c.officer_id)
            .join(P, P.c.id == person)
        )
        .where(
            D.c.unit_id.in_(list(unit_ids)),
            or_(D.c.finished_at.is_(None), D.c.finished_at >= after),
            S.c.start_at < after,
            or_(S.c.ended_at.is_(None), S.c.ended_at >= after),
        )
        .order_by(S.c.start_at)
    ).all()
    out = {}
    for unit_id, code, pid, name, kind, deadline, _start in rows:  # the latest start wins
        out[(int(unit_id), code)] = Holding(
            int(pid), name, kind, deadline, deadline is not None and deadline < after
        )
    return out
