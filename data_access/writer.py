"""The write path for dossiers: insert or update by (unit, code), keep rollups in step.

Every writer (the importer, tests, scripts) goes through `store_dossiers`, inside the
caller's transaction, so the rollups can never disagree with the dossiers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, DateTime, bindparam, insert, select, update

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


INSERT_COLUMNS = (*DATA_COLUMNS, "import_id")


DATETIME_COLUMNS = {c.name for c in D.columns if isinstance(c.type, DateTime)}


def _insert(conn: Connection, rows: list[dict]) -> None:
    """Bulk insert; on SQLite straight through the driver (SQLAlchemy's per-parameter
    processing costs more than SQLite's own insert at 200 000 rows)."""
    if conn.dialect.name != "sqlite":
        conn.execute(insert(D), rows)
        return
    sql = (
        f"INSERT INTO dossiers ({', '.join(INSERT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})"
    )
    # SQLAlchemy's own SQLite text format for date-times, so rows read back identically.
    stamp = [c in DATETIME_COLUMNS for c in INSERT_COLUMNS]
    conn.exec_driver_sql(
        sql,
        [
            tuple(
                (v.isoformat(" ", "microseconds") if is_dt and v is not None else v)
                for v, is_dt in zip((r.get(c) for c in INSERT_COLUMNS), stamp, strict=True)
            )
            for r in rows
        ],
    )


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
    prepared = []
    for r in rows:
        row = defaults | r
        # Only online dossiers have a response time; skip the calendar for the others.
        row["first_response_minutes"] = (
            with_response_minutes(row, cal)["first_response_minutes"]
            if row["channel"] == 2
            else None
        )
        prepared.append(row)
    inserted = updated = unchanged = 0
    touched: set[str] = set()
    changed_ids: list[int] = []
    minus: dict[tuple, list[int]] = {}
    for i in range(0, len(prepared), chunk):
        part = prepared[i : i + chunk]
        codes_by_unit: dict[str, list[str]] = {}
        for r in part:
            codes_by_unit.setdefault(r["unit_code"], []).append(r["code"])
        existing = {}
        for unit, codes in codes_by_unit.items():
            # One unit at a time: (unit, code IN …) uses the unique index; a row-value IN
            # list makes SQLite scan the whole table.
            query = select(D.c.id, *[D.c[c] for c in DATA_COLUMNS]).where(
                D.c.unit_code == unit, D.c.code.in_(codes)
            )
            for row in conn.execute(query):
                existing[(row.unit_code, row.code)] = row
        new_rows, changed = [], []
        for r in part:
            old = existing.get((r["unit_code"], r["code"]))
            if old is None:
                new_rows.append({**r, "import_id": import_id})
            elif tuple(old)[1:] != tuple(r[c] for c in DATA_COLUMNS):
                changed.append(
                    {
                        **{f"v_{c}": r[c] for c in DATA_COLUMNS},
                        "row_id": old.id,
                        "v_import_id": import_id,
                    }
                )
                changed_ids.append(old.id)
                touched.add(old.unit_code)
            else:
                unchanged += 1
                continue
            touched.add(r["unit_code"])
        if changed and import_id is not None:
            # What the old versions contributed to the rollups, before they change.
            for key, values in rollups.event_counts(
                conn, D.c.id.in_([c["row_id"] for c in changed])
            ).items():
                acc = minus.setdefault(key, [0] * len(values))
                for j, v in enumerate(values):
                    acc[j] += v
        if new_rows:
            _insert(conn, new_rows)
        if changed:
            conn.execute(
                update(D)
                .where(D.c.id == bindparam("row_id"))
                .values({c: bindparam(f"v_{c}") for c in (*DATA_COLUMNS, "import_id")}),
                changed,
            )
        inserted += len(new_rows)
        updated += len(changed)
    if touched and import_id is not None:
        # Incremental: add what this import's rows contribute now, remove what they did before.
        delta = rollups.event_counts(conn, D.c.import_id == import_id)
        for key, values in minus.items():
            acc = delta.setdefault(key, [0] * len(values))
            for j, v in enumerate(values):
                acc[j] -= v
        rollups.apply_delta(conn, delta, touched)
    elif touched:
        rollups.rebuild(conn, touched)
    return StoreResult(inserted, updated, unchanged)
