"""The portal's own monthly count of a unit's dossiers synced to the national portal
(DVCQG) → sync_counts, keyed by (unit, month)."""

from __future__ import annotations

from sqlalchemy import Connection

from data_access.importer.matching import Matcher
from data_access.importer.sources.common import (
    Checked,
    Counts,
    Sheet,
    count,
    duplicates,
    keep,
    missing_columns,
    month,
    rows_of,
    unit_in_month,
    upsert,
)
from data_access.score_models import SyncCount

REQUIRED = {"month": "Tháng", "synced": "Số hồ sơ đồng bộ"}


def check(sheet: Sheet, matcher: Matcher, unit_default: str | None) -> Checked:
    """Every row checked; nothing written."""
    missing_columns(sheet, REQUIRED, unit=True, unit_default=unit_default)
    out = Checked(sheet)
    for row in rows_of(sheet, out):
        first = row.required("month", "Tháng", month, "tháng")
        synced = row.required("synced", "Số hồ sơ đồng bộ", count, "số hồ sơ đồng bộ")
        unit_id = unit_in_month(matcher, row, first) if first is not None else None
        keep(out, row, {"unit_id": unit_id, "month": first, "synced": synced})
    duplicates(out, lambda r: (r["unit_id"], r["month"]), "month", "Tháng")
    return out


def write(conn: Connection, checked: Checked, import_id: int) -> tuple[Counts, list[str]]:
    """Upsert the rows by (unit, month)."""
    return upsert(conn, SyncCount, ("unit_id", "month"), checked.records, import_id), []
