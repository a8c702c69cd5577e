"""The write path for dossiers: insert or update by (unit version, code), keep rollups in step.

Every writer (the importer, tests, scripts) goes through `store_dossiers`, inside the
caller's transaction, so the rollups can never disagree with the dossiers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter

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


DATETIME_COLUMNS = {c.name for c in D.columns if isinstance(c.type, DateTime)}
_get_data = itemgetter(*DATA_COLUMNS)
_DATETIME_AT = [i for i, c in enumerate(DATA_COLUMNS) if c in DATETIME_COLUMNS]


def _sqlite_values(row: Mapping) -> tuple:
    """A row's data columns as SQLite stores them: date-times in SQLAlchemy's own text
    format, so rows written here read back (and compare) exactly like any other."""
    values = list(_get_data(row))
    for i in _DATETIME_AT:
        if values[i] is not None:
            values[i] = values[i].isoformat(" ", "microseconds")
    return tuple(values)


class _Store:
    """Existing-row lookup and insert for one connection. On SQLite both go straight
    through the driver on stored values: SQLAlchemy's per-value type processing costs
    more than SQLite's own work at 200 000 rows (re-importing an export compares every
    row)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.raw = conn.dialect.name == "sqlite"
        columns = ", ".join(("id", *DATA_COLUMNS))
        self.lookup_sql = f"SELECT {columns} FROM dossiers WHERE unit_id = ? AND code IN "
        self.insert_sql = (
            f"INSERT INTO dossiers ({', '.join(DATA_COLUMNS)}, import_id) "
            f"VALUES ({', '.join('?' * (len(DATA_COLUMNS) + 1))})"
        )

    def values(self, row: Mapping) -> tuple:
        """The data columns of `row` in the form `existing` returns them."""
        return _sqlite_values(row) if self.raw else tuple(_get_data(row))

    def existing(self, unit: int, codes: list[str]) -> dict[str, tuple[int, tuple]]:
        """code -> (id, data values) of the stored dossiers of `unit` among `codes`."""
        # One unit at a time: (unit, code IN …) uses the unique index; a row-value IN
        # list makes SQLite scan the whole table.
        if self.raw:
            sql = self.lookup_sql + f"({', '.join('?' * len(codes))})"
            rows = self.conn.exec_driver_sql(sql, (unit, *codes))
        else:
            rows = self.conn.execute(
                select(D.c.id, *[D.c[c] for c in DATA_COLUMNS]).where(
                    D.c.unit_id == unit, D.c.code.in_(codes)
                )
            )
        code_at = 1 + DATA_COLUMNS.index("code")
        return {row[code_at]: (row[0], tuple(row[1:])) for row in rows}

    def insert(self, rows: list[Mapping], values: list[tuple], import_id: int | None) -> None:
        """Insert new dossiers (`values` as `values()` gave them)."""
        if self.raw:
            self.conn.exec_driver_sql(self.insert_sql, [(*v, import_id) for v in values])
        else:
            self.conn.execute(insert(D), [{**r, "import_id": import_id} for r in rows])


def store_dossiers(
    conn: Connection,
    rows: Iterable[Mapping],
    import_id: int | None = None,
    cal: WorkCalendar | None = None,
    chunk: int = 5000,
) -> StoreResult:
    """Insert new dossiers, update changed ones (same unit version + code), keep the rollups in
    step: incrementally when `import_id` tags the rows, else by rebuilding the units
    touched. Rows are dicts of Dossier columns (missing ones default)."""
    cal = cal or WorkCalendar()
    defaults = {c: None for c in DATA_COLUMNS} | {
        "has_fee": False,
        "paid_online": False,
        "digitized": False,
        "e_result": False,
        "reused_data": False,
        "day_only": 0,
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
    store = _Store(conn)
    inserted = updated = unchanged = 0
    touched: set[int] = set()
    delta = rollups.Delta(conn) if import_id is not None else None
    for i in range(0, len(prepared), chunk):
        part = prepared[i : i + chunk]
        codes_by_unit: dict[int, list[str]] = {}
        for r in part:
            codes_by_unit.setdefault(r["unit_id"], []).append(r["code"])
        existing = {
            (unit, code): found
            for unit, codes in codes_by_unit.items()
            for code, found in store.existing(unit, codes).items()
        }
        new_rows, new_values, changed = [], [], []
        for r in part:
            values = store.values(r)
            old = existing.get((r["unit_id"], r["code"]))
            if old is None:
                new_rows.append(r)
                new_values.append(values)
            elif old[1] != values:
                changed.append(
                    {f"v_{c}": r[c] for c in DATA_COLUMNS}
                    | {"row_id": old[0], "v_import_id": import_id}
                )
            else:
                unchanged += 1
                continue
            touched.add(r["unit_id"])
        if changed and delta is not None:
            # What the old versions contributed to the rollups, before they change.
            delta.add(D.c.id.in_([c["row_id"] for c in changed]), sign=-1)
        if new_rows:
            store.insert(new_rows, new_values, import_id)
        if changed:
            conn.execute(
                update(D)
                .where(D.c.id == bindparam("row_id"))
                .values({c: bindparam(f"v_{c}") for c in (*DATA_COLUMNS, "import_id")}),
                changed,
            )
        inserted += len(new_rows)
        updated += len(changed)
    if delta is not None:
        # Incremental: add what this import's rows contribute now (the old versions of
        # changed rows were taken away above).
        if touched:
            delta.add(D.c.import_id == import_id)
        delta.apply(touched)  # also drops its temporary table when nothing changed
    elif touched:
        rollups.rebuild(conn, touched)
    return StoreResult(inserted, updated, unchanged)
