"""Source files shaped like real exports: title rows, a blank row, the header with an STT
column, bare dd/mm/yyyy dates, and a totals row at the bottom."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
from sqlalchemy import Engine, func, select

from data_access.models import Import

TITLE = ["UBND TỈNH HẢI DƯƠNG"]


def xlsx(header: list[str], rows: list[list[Any]], title: str, totals: bool = True) -> bytes:
    """Rows 1–2 titles, row 3 blank, row 4 the header, data from row 5, then "Tổng cộng"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(TITLE)
    ws.append([title])
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if totals:
        ws.append(["Tổng cộng", "", len(rows)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(header: list[str], rows: list[list[Any]], title: str, totals: bool = True) -> bytes:
    """The same layout as a UTF-8 CSV (with BOM, as Excel saves it)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(TITLE)
    w.writerow([title])
    w.writerow([])
    w.writerow(header)
    w.writerows(rows)
    if totals:
        w.writerow(["Tổng", "", len(rows)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def make(kind: str, header: list[str], rows: list[list[Any]], title: str) -> bytes:
    """`kind` "xlsx" or "csv"."""
    return (xlsx if kind == "xlsx" else csv_bytes)(header, rows, title)


def count(engine: Engine, model: Any) -> int:
    """Rows of a table."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def imports(engine: Engine) -> list[tuple[str, str, int, int, int, int]]:
    """(kind, status, inserted, updated, unchanged, rejected) of every import, in order."""
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    Import.kind,
                    Import.status,
                    Import.inserted,
                    Import.updated,
                    Import.unchanged,
                    Import.rejected,
                ).order_by(Import.id)
            )
        ]
