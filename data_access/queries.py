"""Aggregate queries (SQLAlchemy Core); they return plain rows, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from data_access.models import Dossier, Unit

RECEIVING_KINDS = ("commune", "town", "ward", "department")


@dataclass(frozen=True)
class UnitCount:
    """A receiving unit with how many dossiers it holds and its newest reception date."""

    code: str
    name: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    dossiers: int
    newest_received: dt.datetime | None


def unit_dossier_counts(engine: Engine) -> list[UnitCount]:
    """Every unit that receives dossiers, with its dossier count and newest received date."""
    per_unit = (
        select(
            Dossier.unit_code,
            func.count().label("n"),
            func.max(Dossier.received_at).label("newest"),
        )
        .group_by(Dossier.unit_code)
        .subquery()
    )
    query = (
        select(Unit, per_unit.c.n, per_unit.c.newest)
        .outerjoin(per_unit, per_unit.c.unit_code == Unit.code)
        .where(Unit.kind.in_(RECEIVING_KINDS))
    )
    with engine.connect() as conn:
        return [
            UnitCount(r.code, r.name, r.kind, r.valid_from, r.valid_to, r.n or 0, r.newest)
            for r in conn.execute(query)
        ]


def data_date_range(engine: Engine) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Oldest and newest reception time over all dossiers (None, None when there are none)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(func.min(Dossier.received_at), func.max(Dossier.received_at))
        ).one()
    return row[0], row[1]


def district_name(engine: Engine) -> str | None:
    """Name of the (first) district in the units table, for the page header."""
    with engine.connect() as conn:
        return conn.execute(
            select(Unit.name).where(Unit.kind == "district").order_by(Unit.code).limit(1)
        ).scalar()
