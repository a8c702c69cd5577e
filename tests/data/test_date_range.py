"""The data's date range (every page's default period, the shell's header) on both databases:
read per unit through the (unit, reception) index, equal to a min/max over all dossiers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from data_access.queries import data_date_range


def test_the_range_spans_every_units_receptions(ref_engine: Engine, add) -> None:
    assert data_date_range(ref_engine) == (None, None)
    add("10657", [{"received_at": "2025-03-10 09:00"}, {"received_at": "2025-06-30 16:59"}])
    add("10612", [{"received_at": "2024-12-31 08:00"}])
    add("291-NNMT", [{"received_at": None, "status": "new", "submitted_at": "2026-01-02 08:00"}])
    assert data_date_range(ref_engine) == (
        dt.datetime(2024, 12, 31, 8, 0),
        dt.datetime(2025, 6, 30, 16, 59),
    )
