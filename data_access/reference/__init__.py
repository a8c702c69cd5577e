"""Reference data (units, fields, procedures) shipped as CSV files, and its idempotent loader."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, update

from data_access import versioning
from data_access.db import inserted_id
from data_access.models import Field, Procedure, Unit, UnitLink, table_of

REFERENCE_DIR = Path(__file__).parent


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class UnitSpec:
    """One row of `units.csv`: a unit version. `parent` is a code read on `valid_from`;
    `successors` are codes read on the day after `valid_to`, each with whether it carries
    the open dossiers (a split names one carrier; the others are marked with `~`)."""

    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    successors: tuple[tuple[str, bool], ...]
    sort_order: int


def _successors(text: str) -> tuple[tuple[str, bool], ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        out.append((part.rstrip("~").strip(), not part.endswith("~")))
    return tuple(out)


def read_units(folder: Path = REFERENCE_DIR) -> list[UnitSpec]:
    """Rows of `units.csv` (older files name the columns parent_code / successor_code)."""
    with open(folder / "units.csv", encoding="utf-8") as fh:
        return [
            UnitSpec(
                code=r["code"].strip(),
                name=r["name"].strip(),
                kind=r["kind"].strip(),
                parent=(r.get("parent") or r.get("parent_code") or "").strip() or None,
                valid_from=_date(r["valid_from"]) or dt.date(1900, 1, 1),
                valid_to=_date(r["valid_to"]),
                successors=_successors(r.get("successors") or r.get("successor_code") or ""),
                sort_order=int(r.get("sort_order") or 0),
            )
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
    table = table_of(model)
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


def _valid_on(versions: list[dict], day: dt.date) -> dict | None:
    return next(
        (
            v
            for v in versions
            if v["valid_from"] <= day and (v["valid_to"] is None or v["valid_to"] >= day)
        ),
        None,
    )


def load_units(conn: Connection, specs: list[UnitSpec], counts: Counter) -> None:
    """Insert or update unit versions (key: code + valid_from) and their links; a reload of
    the same rows changes nothing. Parents and successors resolve by code on their day among
    the versions already stored and those of `specs`."""
    u = table_of(Unit)
    stored = {(r.code, r.valid_from): dict(r._mapping) for r in conn.execute(select(u))}
    for spec in specs:
        values = {
            "code": spec.code,
            "name": spec.name,
            "kind": spec.kind,
            "valid_from": spec.valid_from,
            "valid_to": spec.valid_to,
            "sort_order": spec.sort_order,
        }
        old = stored.get((spec.code, spec.valid_from))
        if old is None:
            new_id = inserted_id(conn.execute(insert(u).values(**values)))
            stored[(spec.code, spec.valid_from)] = {**values, "id": new_id, "parent_id": None}
            counts["inserted"] += 1
        elif any(old[k] != v for k, v in values.items()):
            conn.execute(update(u).where(u.c.id == old["id"]).values(**values))
            old.update(values)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    by_code: dict[str, list[dict]] = {}
    for v in stored.values():
        by_code.setdefault(v["code"], []).append(v)

    def version_of(code: str, day: dt.date, what: str, spec: UnitSpec) -> int:
        found = _valid_on(by_code.get(code, []), day)
        if found is None:
            raise ValueError(
                f"units.csv: {what} {code} của {spec.name} ({spec.code}) không có hiệu lực "
                f"ngày {day:%d/%m/%Y}"
            )
        return found["id"]

    links = table_of(UnitLink)
    for spec in specs:
        me = stored[(spec.code, spec.valid_from)]
        parent = (
            version_of(spec.parent, spec.valid_from, "đơn vị cấp trên", spec)
            if spec.parent
            else None
        )
        if me.get("parent_id") != parent:
            conn.execute(update(u).where(u.c.id == me["id"]).values(parent_id=parent))
            me["parent_id"] = parent
        wanted = {}
        if spec.successors:
            if spec.valid_to is None:
                raise ValueError(
                    f"units.csv: {spec.name} ({spec.code}) có đơn vị kế thừa nhưng chưa có "
                    "ngày kết thúc"
                )
            day = spec.valid_to + dt.timedelta(days=1)
            carriers = [c for c, carries in spec.successors if carries]
            if len(carriers) != 1:
                raise ValueError(
                    f"units.csv: {spec.name} ({spec.code}) cần đúng một đơn vị kế thừa nhận hồ sơ "
                    "còn tồn (các đơn vị khác đánh dấu ~)"
                )
            wanted = {
                version_of(c, day, "đơn vị kế thừa", spec): carries
                for c, carries in spec.successors
            }
        have = {
            r.successor_id: r.carries_dossiers
            for r in conn.execute(select(links).where(links.c.predecessor_id == me["id"]))
        }
        if have != wanted:
            conn.execute(delete(links).where(links.c.predecessor_id == me["id"]))
            for successor, carries in wanted.items():
                conn.execute(
                    insert(links).values(
                        predecessor_id=me["id"], successor_id=successor, carries_dossiers=carries
                    )
                )


NATIONAL_UNITS = REFERENCE_DIR / "vn-units-2025-07-01.csv"
TWO_TIER_FROM = dt.date(2025, 7, 1)


def read_province(code: str, path: Path = NATIONAL_UNITS) -> list[UnitSpec]:
    """A province or city from the national list of 1/7/2025, and its communes, wards and
    special zones (full names: «Xã Nam Sách», «Thành phố Hải Phòng»)."""
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if code in (r["code"], r["parent_code"])]
    if not any(r["code"] == code and not r["parent_code"] for r in rows):
        raise ValueError(
            f"Không có tỉnh, thành phố mã {code} trong danh sách đơn vị hành chính 1/7/2025"
        )
    return [
        UnitSpec(
            code=r["code"],
            name=r["full_name"],
            kind=r["kind"],
            parent=r["parent_code"] or None,
            valid_from=TWO_TIER_FROM,
            valid_to=None,
            successors=(),
            sort_order=0,
        )
        for r in sorted(rows, key=lambda r: (bool(r["parent_code"]), r["code"]))
    ]


def load_province(conn: Connection, code: str) -> Counter:
    """Insert or update one province or city of the national list (idempotent), with the
    procedure catalog; the units of other provinces are left as they are."""
    counts: Counter = Counter()
    load_units(conn, read_province(code), counts)
    _load_procedures(conn, REFERENCE_DIR, counts)
    if counts["inserted"] or counts["updated"]:
        versioning.bump(conn)
    return counts


def load_reference(conn: Connection, folder: Path = REFERENCE_DIR) -> Counter:
    """Insert or update units, fields and procedures from `folder`; returns row counts.

    Loading the same folder twice changes nothing (the second call counts only `unchanged`).
    """
    counts: Counter = Counter()
    load_units(conn, read_units(folder), counts)
    _load_procedures(conn, folder, counts)
    if counts["inserted"] or counts["updated"]:
        versioning.bump(conn)
    return counts


def _load_procedures(conn: Connection, folder: Path, counts: Counter) -> None:
    procedures = read_procedures(folder)
    field_ids = dict(conn.execute(select(Field.name, Field.id)).all())
    for name in sorted({p["field"] for p in procedures}):
        if name in field_ids:
            counts["unchanged"] += 1
            continue
        field_ids[name] = inserted_id(conn.execute(insert(Field).values(name=name)))
        counts["inserted"] += 1
    rows = [
        {**{k: v for k, v in p.items() if k != "field"}, "field_id": field_ids[p["field"]]}
        for p in procedures
    ]
    _upsert(conn, Procedure, "code", rows, counts)
