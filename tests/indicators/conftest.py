"""Crafted dossiers on a real database (SQLite file and PostgreSQL), written through the real
write path so rollups are maintained exactly as in production."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from data_access.models import Procedure
from data_access.reference import load_reference
from data_access.writer import store_dossiers


def at(text: str) -> dt.datetime:
    """'2025-03-05 14:00' -> datetime."""
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def ref_engine(empty_engine: Engine) -> Engine:
    """An empty database with the Nam Sách reference data."""
    with empty_engine.begin() as conn:
        load_reference(conn)
    return empty_engine


@pytest.fixture
def add(ref_engine: Engine) -> Callable[..., None]:
    """add(unit, [dossier kwargs, ...]) stores crafted dossiers through the write path."""
    with ref_engine.connect() as conn:
        field_of = dict(conn.execute(select(Procedure.code, Procedure.field_id)).all())
    counter = iter(range(1, 10_000))

    def _add(unit: str, dossiers: list[dict]) -> None:
        rows = []
        for d in dossiers:
            row = {
                "unit_code": unit,
                "code": d.pop("code", f"{unit}-{next(counter):05d}"),
                "procedure_code": d.get("procedure_code", "1.001193"),
                "channel": 1,
                "status": "resolved",
            }
            row["field_id"] = field_of[row["procedure_code"]]
            for key in (
                "submitted_at",
                "received_at",
                "due_at",
                "finished_at",
                "supplement_requested_at",
            ):
                if isinstance(d.get(key), str):
                    d[key] = at(d[key])
            row.update(d)
            if row["channel"] != 2 and row.get("submitted_at") is None:
                row["submitted_at"] = row.get("received_at")
            rows.append(row)
        with ref_engine.begin() as conn:
            store_dossiers(conn, rows)

    return _add
