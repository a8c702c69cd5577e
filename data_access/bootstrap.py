"""Bring a database to a usable state: schema, reference data, demo data when empty."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from data_access.db import make_engine, migrate
from data_access.demo import ensure_demo
from data_access.reference import load_reference

log = logging.getLogger(__name__)


def prepare_database(url: str, demo_on_empty: bool = True, demo_seed: int = 2025) -> Engine:
    """Migrate `url` to the newest schema, load reference data, add demo data if it is empty."""
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        counts = load_reference(conn)
    if counts["inserted"] or counts["updated"]:
        log.info("reference data: %s", dict(counts))
    if demo_on_empty:
        n = ensure_demo(engine, seed=demo_seed)
        if n is not None:
            log.info("empty database filled with %d demo dossiers", n)
    return engine
