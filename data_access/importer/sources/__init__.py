"""The 766 score's files besides the dossier list: the procedure catalogue, the PAKN export,
satisfaction votes and the portal's sync counts (data_access/score_models.py).

`detect` tells from a sheet's header row which of them it is (a dossier list, with its
status or channel column, stays a dossier list); `check` validates it (one module per
source); `write` stores it inside the caller's transaction (load.py records the import).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from data_access.importer import parse
from data_access.importer.config import Mapping
from data_access.importer.matching import Catalog, Matcher
from data_access.importer.reader import FileRefused, RawTable
from data_access.importer.sources import catalogue, feedback, satisfaction, sync_counts
from data_access.importer.sources.common import TITLES, Checked, Counts, Sheet
from data_access.importer.validate import find_header

__all__ = ["TITLES", "Checked", "Counts", "Sheet", "check", "detect", "write"]

# A header is a source's when it names these (beside any of its other columns).
_CATALOGUE_ONLY = {
    "level",
    "effective_from",
    "effective_to",
    "online_level",
    "parts_published",
    "payment_integrated",
    "decision_on",
    "paper_result",
}


def _signed(kind: str, fields: set[str]) -> bool:
    if kind == "catalogue":
        return "code" in fields and bool(fields & _CATALOGUE_ONLY)
    if kind == "feedback":
        return "code" in fields
    if kind == "satisfaction":
        return bool({"rating", "votes"} & fields)
    return "synced" in fields


def _columns(row: list[Any], headers: dict[str, str], mapping: Mapping) -> tuple[dict, list]:
    from data_access.importer.config import normalize_key

    columns: dict[int, str] = {}
    ignored: list[str] = []
    for c, cell in enumerate(row):
        name = parse.text(cell)
        # A header cell is a few words: a long one is never looked up (nor cached).
        fld = headers.get(normalize_key(name)) if name and len(name) <= 200 else None
        if fld and fld not in columns.values():
            columns[c] = fld
        elif name:
            ignored.append(name)
    return columns, ignored


def _is_dossier_list(table: RawTable, mapping: Mapping) -> bool:
    """Whether the dossier importer finds its header with a status or channel column."""
    try:
        _, columns, _ = find_header(table, mapping)
    except FileRefused:
        return False
    return bool({"status", "channel"} & set(columns.values()))


def detect(table: RawTable, mapping: Mapping) -> Sheet | None:
    """The first sheet as one of the four sources, or None (a dossier list, a history, a
    national sync file: read as before). The header row is the one, in the first rows,
    naming the most columns of a source whose distinguishing columns it has."""
    if table.kind not in ("xlsx", "csv") or not table.has_dossiers:
        return None
    if _is_dossier_list(table, mapping):
        return None
    head = table.head(mapping.limits["header_search_rows"])
    best: tuple[int, str, int] | None = None  # (columns named, kind, row)
    for kind, headers in mapping.source_headers.items():
        for i, row in enumerate(head):
            columns, _ = _columns(row, headers, mapping)
            signed = len(columns) >= 2 and _signed(kind, set(columns.values()))
            if signed and (best is None or len(columns) > best[0]):
                best = (len(columns), kind, i)
    if best is None:
        return None
    _, kind, at = best
    columns, ignored = _columns(head[at], mapping.source_headers[kind], mapping)
    body = table.cells[at + 1 :].tolist()
    notes = list(table.notes)
    if table.history is not None:
        notes.append("Tệp có nhiều trang tính: chỉ đọc trang thứ nhất.")
    return Sheet(
        kind=kind,
        header_at=at,
        columns=columns,
        header=[parse.text(c) for c in head[at]],
        ignored=ignored,
        body=body,
        numbers=list(table.row_numbers[at + 1 :]),
        notes=notes,
        max_cell_chars=mapping.limits["max_cell_chars"],
    )


def check(sheet: Sheet, catalog: Catalog, mapping: Mapping, unit_default: str | None) -> Checked:
    """Validate the sheet as its kind; raises FileRefused for a missing required column, or
    for a file with no data row (its name would otherwise stand as a source of the score)."""
    matcher = Matcher(catalog, mapping, unit_default)
    if sheet.kind == "catalogue":
        checked = catalogue.check(sheet, mapping)
    elif sheet.kind == "feedback":
        checked = feedback.check(sheet, matcher, mapping, unit_default)
    elif sheet.kind == "satisfaction":
        checked = satisfaction.check(sheet, matcher, mapping, unit_default)
    else:
        checked = sync_counts.check(sheet, matcher, unit_default)
    if checked.rows_read == 0:
        title = TITLES[sheet.kind][0]
        raise FileRefused(f"Tệp {title} không có dòng dữ liệu nào (chỉ có tiêu đề hoặc dòng tổng).")
    return checked


def write(conn: Connection, checked: Checked, import_id: int) -> tuple[Counts, list[str]]:
    """Store the valid rows in the caller's transaction: the counts and notes for the report."""
    writer = {
        "catalogue": catalogue.write,
        "feedback": feedback.write,
        "satisfaction": satisfaction.write,
        "sync": sync_counts.write,
    }[checked.sheet.kind]
    return writer(conn, checked, import_id)
