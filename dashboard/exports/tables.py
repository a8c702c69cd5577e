"""Tables for briefings: .xlsx (Vietnamese headers, frozen header, number formats, the screen's
status colours) and .csv that Excel opens as UTF-8 and never runs as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dashboard.domain.formatting import DASH, fmt_int, fmt_number, fmt_percent, safe_cell

Kind = Literal["text", "percent", "count", "number"]
# The screen's colour-blind-safe pair as light fills (text stays black), plus a word cue in
# the status column of each table.
STATUS_FILLS = {"dat": "DCEBF7", "khong_dat": "FCE4CC", "khong_co_du_lieu": "EEEEEE"}
NUMBER_FORMATS = {"percent": "0.00%", "count": "#,##0", "number": "#,##0.00", "text": "@"}


@dataclass(frozen=True)
class Column:
    """One column: the row key, its Vietnamese header, how to show it, its width."""

    key: str
    header: str
    kind: Kind = "text"
    width: int = 14


@dataclass
class Table:
    """A titled table; `status` maps (row index, column key) to dat / khong_dat / …"""

    title: str
    subtitle: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    status: dict[tuple[int, str], str] = field(default_factory=dict)
    sheet: str = "Bảng"

    def display(self, row: dict[str, Any], col: Column) -> str:
        """A cell as the screen shows it (87,03 %; 1.234)."""
        value = row.get(col.key)
        if value is None:
            return "" if col.kind == "text" else DASH  # "no value", as the screen says it
        if col.kind == "percent":
            return fmt_percent(value)
        if col.kind == "count":
            return fmt_int(round(value))
        if col.kind == "number":
            return fmt_number(value)
        return str(value)


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table: title, subtitle, header row frozen, formats and colours."""
    # openpyxl (0,15 s to import) only when a workbook is written, not for every command.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(_sheet_name(table.sheet, wb.sheetnames))
        ws.append([table.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([table.subtitle])
        ws["A2"].font = Font(italic=True)
        ws.append([c.header for c in table.columns])
        header_row = 3
        for i, col in enumerate(table.columns, 1):
            cell = ws.cell(row=header_row, column=i)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F6FB2")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(i)].width = col.width
        for r, row in enumerate(table.rows):
            values = []
            for col in table.columns:
                value = row.get(col.key)
                # Text never becomes a formula (openpyxl would store "=…" as one): the same
                # rule as the CSV's, so a gap "+1" reads the same in both files.
                if isinstance(value, str):
                    value = safe_cell(value)
                values.append(value)
            ws.append(values)
            for i, col in enumerate(table.columns, 1):
                cell = ws.cell(row=header_row + 1 + r, column=i)
                cell.number_format = NUMBER_FORMATS[col.kind]
                status = table.status.get((r, col.key))
                if status:
                    cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM (Excel then reads the diacritics), cells as on screen, formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c.header) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(table.display(row, c)) for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_name(name: str, taken: list[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Bảng"
    candidate, n = clean, 2
    while candidate in taken:
        candidate = f"{clean[:28]} {n}"
        n += 1
    return candidate
