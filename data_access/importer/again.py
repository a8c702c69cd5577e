"""The same file imported again while nothing changed since it was: the answer is known
without reading it. The import of a dossier list records a key of its bytes and of what reads
them (the header table, the default unit, the work calendar) and the data version its commit
left; a later import with the same key, while the data version is still that one, would find
every row unchanged, so it reads nothing and writes only its record and audit line. Any write
in between (an import, a rebuild, an explanation) changes the version, and the file is read
and compared as usual; a file with a processing history is always read (its report counts its
dossiers and steps)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Engine, select

from dashboard.domain.formatting import fmt_int
from dashboard.domain.worktime import WorkCalendar
from data_access.importer.config import Mapping
from data_access.models import DataState, Import


def content_key(
    file_hash: str, mapping: Mapping, unit_default: str | None, calendar: WorkCalendar | None
) -> str:
    """SHA-256 of the file's hash and of everything that decides how it is read."""
    cal = calendar or WorkCalendar()
    reading = {
        "file": file_hash,
        "mapping": dataclasses.asdict(mapping),
        "unit_default": unit_default or "",
        "hours": [[a.isoformat(), b.isoformat()] for a, b in cal.office_hours],
        "days_off": sorted(d.isoformat() for d in cal.extra_days_off),
    }
    return hashlib.sha256(json.dumps(reading, sort_keys=True).encode()).hexdigest()


def version_now(conn: Connection) -> str:
    """The data version inside the caller's transaction (after its own writes)."""
    return conn.execute(select(DataState.version).where(DataState.id == 1)).scalar() or ""


def unchanged_since(engine: Engine, key: str, partial: bool) -> Any | None:
    """The committed import of the same key whose version is still the database's, when the
    same request would end the same way (a partial import again only when asked partial)."""
    statuses = ("committed", "partial") if partial else ("committed",)
    with engine.connect() as conn:
        row = conn.execute(
            select(Import)
            # A processing history's report counts its dossiers and steps: read again.
            .where(
                Import.content_key == key,
                Import.status.in_(statuses),
                Import.has_history.is_(False),
            )
            .order_by(Import.id.desc())
            .limit(1)
        ).first()
        if row is None or not row.data_version or row.data_version != version_now(conn):
            return None
        return row


def note(previous: Any) -> str:
    """What the report says instead of a reading."""
    return (
        f"Cùng tệp và cùng cách đọc với lần nhập lúc {previous.created_at:%H:%M %d/%m/%Y} "
        f"({fmt_int(previous.rows_read)} dòng); dữ liệu chưa thay đổi từ đó: không đọc lại, "
        "không ghi gì."
    )
