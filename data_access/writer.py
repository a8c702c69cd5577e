"""The write path for dossiers: insert or update by (unit, code), keep rollups in step.

Every writer (the importer, tests, scripts) goes through `store_dossiers`, inside the
caller's transaction, so the rollups can never disagree with the dossiers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, insert, select, tuple_, update

from dashboard.indicators.worktime import WorkCalendar, first_response_minutes
from data_access import rollups
from data_access.models import Dossier

D = Dossier.__table__
DATA_COLUMNS = tuple(c.name for c in D.columns if c.name not in ("id", "import_id"))


@dataclass(frozen=True)
class StoreResult:
    """What a store did."""

    inserted: int
    updated: int
    unchanged: int


def with_response_minutes(row: Mapping, cal: WorkCalendar) -> dict:
    """A copy of `row` with first_response_minutes computed from its own dates."""
    out = dict(row)
    out["first_response_minutes"] = first_response_minutes(
        cal,
        channel=out["channel"],
        status=out["status"],
        submitted_at=out.get("submitted_at"),
        received_at=out.get("received_at"),
        supplement_requested_at=out.get("supplement_requested_at"),
        finished_at=out.get("finished_at"),
    )
    return out


def store_dossiers(
    conn: Connection,
    rows: Iterable[Mapping],
    import_id: int | None = None,
    cal: WorkCalendar | None = None,
    chunk: int = 5000,
) -> StoreResult:
    """Insert new dossiers, update changed ones (same unit + code), then rebuild the rollups
    of the units touched. Rows are dicts of Dossier columns (missing ones default)."""
    cal = cal or WorkCalendar()
    defaults = {c: None for c in DATA_COLUMNS} | {
        "has_fee": False,
        "paid_online": False,
        "digitized": False,
        "e_result": False,
        "reused_data": False,
    }
    prepared = [with_response_minutes(defaults | dict(r), cal) for r in rows]
    inserted = updated = unchanged = 0
    touched: set[str] = set()
    for i in range(0, len(prepared), chunk):
        part = prepared[i : i + chunk]
        keys = [(r["unit_code"], r["code"]) for r in part]
        existing = {
            (row.unit_code, row.code): row
            for row in conn.execute(select(D).where(tuple_(D.c.unit_code, D.c.code).in_(keys)))
        }
        new_rows, changed = [], []
        for r in part:
            old = existing.get((r["unit_code"], r["code"]))
            if old is None:
                new_rows.append({**r, "import_id": import_id})
            elif any(getattr(old, c) != r[c] for c in DATA_COLUMNS):
                changed.append(
                    {
                        **{f"v_{c}": r[c] for c in DATA_COLUMNS},
                        "row_id": old.id,
                        "v_import_id": import_id,
                    }
                )
            else:
                unchanged += 1
                continue
            touched.add(r["unit_code"])
        if new_rows:
            conn.execute(insert(D), new_rows)
        if changed:
            conn.execute(
                update(D)
                .where(D.c.id == bindparam("row_id"))
                .values({c: bindparam(f"v_{c}") for c in (*DATA_COLUMNS, "import_id")}),
                changed,
            )
        inserted += len(new_rows)
        updated += len(changed)
    if touched:
        rollups.rebuild(conn, touched)
    return StoreResult(inserted, updated, unchanged)
