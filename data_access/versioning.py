"""The data version: one token in the database that every write replaces.

Imports, targets, rollup rebuilds, reference loads, demo data, explanation changes, restores
and migrations call `bump` in their own transaction. Every cache key holds `current`, so a
change made by any process (a second server process, the CLI beside a running server) shows at
the next request: the token is read from the database, never remembered.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, Engine, insert, select, update

from dashboard.domain import clock
from data_access.models import DataState


def bump(conn: Connection) -> str:
    """Replace the token (inside the caller's transaction); returns the new one."""
    token = uuid.uuid4().hex
    values = {"version": token, "changed_at": clock.now()}
    if conn.execute(update(DataState).where(DataState.id == 1).values(**values)).rowcount == 0:
        conn.execute(insert(DataState).values(id=1, **values))
    return token


def current(engine: Engine) -> str:
    """The token as the database holds it now."""
    with engine.connect() as conn:
        return conn.execute(select(DataState.version).where(DataState.id == 1)).scalar() or ""
