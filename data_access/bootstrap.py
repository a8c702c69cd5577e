"""Bring a database to a usable state: schema, reference data, rollups, demo data when empty."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, bindparam, select, update

from dashboard.domain.worktime import WorkCalendar
from data_access import rollups
from data_access.db import make_engine, migrate
from data_access.demo import ensure_demo
from data_access.models import Dossier, table_of
from data_access.reference import load_reference
from data_access.writer import with_response_minutes

log = logging.getLogger(__name__)


def backfill_response_minutes(
    conn: Connection, cal: WorkCalendar | None = None, everything: bool = False
) -> int:
    """Compute first_response_minutes where it is missing (rows written before it existed),
    or for every online dossier (`everything`, after the work calendar changed)."""
    cal = cal or WorkCalendar()
    query = select(
        Dossier.id,
        Dossier.channel,
        Dossier.status,
        Dossier.submitted_at,
        Dossier.received_at,
        Dossier.supplement_requested_at,
        Dossier.finished_at,
    ).where(Dossier.channel == 2, Dossier.submitted_at.is_not(None))
    if not everything:
        query = query.where(Dossier.first_response_minutes.is_(None))
    rows = conn.execute(query).all()
    values = []
    for r in rows:
        minutes = with_response_minutes(r._mapping, cal)["first_response_minutes"]
        if minutes is not None:
            values.append({"row_id": r.id, "minutes": minutes})
    if values:
        stmt = (
            update(table_of(Dossier))
            .where(table_of(Dossier).c.id == bindparam("row_id"))
            .values(first_response_minutes=bindparam("minutes"))
        )
        conn.execute(stmt, values)
    return len(values)


def ensure_rollups(engine: Engine) -> bool:
    """Build the rollups of a database that has dossiers but none (e.g. after an upgrade)."""
    with engine.begin() as conn:
        has_dossiers = conn.execute(select(Dossier.id).limit(1)).first() is not None
        if not has_dossiers or not rollups.is_empty(conn):
            return False
        backfill_response_minutes(conn)
        rollups.rebuild(conn)
    return True


def prepare_database(url: str, demo_on_empty: bool = True, demo_seed: int = 2025) -> Engine:
    """Migrate `url` to the newest schema, load reference data, add demo data if it is empty."""
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        counts = load_reference(conn)
    if counts["inserted"] or counts["updated"]:
        log.info("reference data: %s", dict(counts))
    if ensure_rollups(engine):
        log.info("rollups built for existing dossiers")
    if demo_on_empty:
        n = ensure_demo(engine, seed=demo_seed)
        if n is not None:
            log.info("empty database filled with %d demo dossiers", n)
    return engine
