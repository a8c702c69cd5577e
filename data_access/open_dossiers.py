"""The dossiers open on a day, straight from the dossier table (early warning).

Open on D: accepted (not new, not refused at reception), received on or before D, not
finished by the end of D. `ix_dossiers_open` (finish time, reception time) finds them: the
unfinished ones and those finished after D, a small share of all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, or_, select

from dashboard.domain.records import OpenDossier
from dashboard.domain.warnings import NOT_ACCEPTED
from data_access.counts import NO_FILTERS, Filters
from data_access.models import Dossier, Field, Procedure, table_of


def open_dossiers(
    conn: Connection,
    as_of: dt.date,
    unit_ids: Sequence[int],
    filters: Filters = NO_FILTERS,
) -> list[OpenDossier]:
    """Every dossier of the unit versions `unit_ids` open on `as_of`."""
    d = table_of(Dossier).c
    after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    query = (
        select(
            d.unit_id,
            d.code,
            d.procedure_code,
            Procedure.name,
            Field.name,
            d.received_at,
            d.due_at,
            d.status,
            d.status_label,
        )
        .outerjoin(Procedure, Procedure.code == d.procedure_code)
        .outerjoin(Field, Field.id == d.field_id)
        .where(
            or_(d.finished_at.is_(None), d.finished_at >= after),
            d.received_at < after,
            d.status.not_in(NOT_ACCEPTED),
            # `unit_id + 0`: not the unit's reception index, which would read every dossier
            # received by D (0,35 s at a million on SQLite), but the open index, which reads
            # only the open ones (a few ms); the units are few, the open dossiers fewer.
            (d.unit_id + 0).in_(list(unit_ids)),
        )
        .order_by(d.due_at, d.received_at, d.code)
    )
    if filters.field_ids is not None:
        query = query.where(d.field_id.in_(list(filters.field_ids)))
    if filters.procedure_codes is not None:
        query = query.where(d.procedure_code.in_(list(filters.procedure_codes)))
    if filters.channels is not None:
        query = query.where(d.channel.in_(list(filters.channels)))
    return [OpenDossier(*row) for row in conn.execute(query)]
