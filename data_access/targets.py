"""Configured targets: add one, list them (the figures' rules read them through queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select

from data_access import queries, versioning
from data_access.models import Target


def add_target(
    conn: Connection,
    indicator: str,
    value: float,
    since: dt.date,
    unit: str | None = None,
    source: str | None = None,
) -> None:
    """A target from `since` on, for all units or one (`unit`: a code, bound to the version it
    names on `since`, or code@day); every cached figure is renewed."""
    unit_id = queries.all_units(conn).resolve(unit, since, since).id if unit else None
    conn.execute(
        insert(Target).values(
            indicator=indicator, value=value, effective_from=since, unit_id=unit_id, source=source
        )
    )
    versioning.bump(conn)


def configured(conn: Connection) -> list[Any]:
    """Every configured target, by indicator and date."""
    return list(conn.execute(select(Target).order_by(Target.indicator, Target.effective_from)))
