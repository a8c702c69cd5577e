"""Reference data (units, fields, procedures) shipped as CSV files, and its idempotent loader."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from data_access.models import Field, Procedure, Unit

REFERENCE_DIR = Path(__file__).parent


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def read_units(folder: Path = REFERENCE_DIR) -> list[dict]:
    """Rows of `units.csv` as column dicts ready for the units table."""
    with open(folder / "units.csv", encoding="utf-8") as fh:
        return [
            {
                "code": r["code"],
                "name": r["name"],
                "kind": r["kind"],
                "parent_code": r["parent_code"] or None,
                "valid_from": _date(r["valid_from"]),
                "valid_to": _date(r["valid_to"]),
                "successor_code": r["successor_code"] or None,
                "sort_order": int(r["sort_order"] or 0),
            }
            for r in csv.DictReader(fh)
        ]


def read_procedures(folder: Path = REFERENCE_DIR) -> list[dict]:
    """Rows of `procedures.csv` (field given by name)."""
    with open(folder / "procedures.csv", encoding="utf-8") as fh:
        return [
            {
                "code": r["code"],
                "name": r["name"],
                "field": r["field"],
                "level": r["level"],
                "has_fee": r["has_fee"] == "1",
                "online": r["online"] == "1",
            }
            for r in csv.DictReader(fh)
        ]


def _upsert(conn: Connection, model: type, key: str, rows: list[dict], counts: Counter) -> None:
    table = model.__table__
    existing = {r._mapping[key]: dict(r._mapping) for r in conn.execute(select(table))}
    for row in rows:
        old = existing.get(row[key])
        if old is None:
            conn.execute(insert(table).values(**row))
            counts["inserted"] += 1
        elif any(old[k] != v for k, v in row.items()):
            conn.execute(update(table).where(table.c[key] == row[key]).values(**row))
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1


def load_reference(conn: Connection, folder: Path = REFERENCE_DIR) -> Counter:
    """Insert or update units, fields and procedures from `folder`; returns row counts.

    Loading the same folder twice changes nothing (the second call counts only `unchanged`).
    """
    counts: Counter = Counter()
    units = read_units(folder)
    # Parents and successors may come later in the file: insert without links, then link.
    bare = [{**u, "parent_code": None, "successor_code": None} for u in units]
    known = set(conn.execute(select(Unit.code)).scalars())
    for u in bare:
        if u["code"] not in known:
            conn.execute(insert(Unit).values(**u))
    # Count against the final state so a fresh load reports "inserted", a reload "unchanged".
    for u in units:
        if u["code"] not in known:
            conn.execute(
                update(Unit)
                .where(Unit.code == u["code"])
                .values(parent_code=u["parent_code"], successor_code=u["successor_code"])
            )
            counts["inserted"] += 1
    _upsert(conn, Unit, "code", [u for u in units if u["code"] in known], counts)

    procedures = read_procedures(folder)
    field_ids = dict(conn.execute(select(Field.name, Field.id)).all())
    for name in sorted({p["field"] for p in procedures}):
        if name in field_ids:
            counts["unchanged"] += 1
            continue
        field_ids[name] = conn.execute(insert(Field).values(name=name)).inserted_primary_key[0]
        counts["inserted"] += 1
    rows = [
        {**{k: v for k, v in p.items() if k != "field"}, "field_id": field_ids[p["field"]]}
        for p in procedures
    ]
    _upsert(conn, Procedure, "code", rows, counts)
    return counts
