"""What the four 766 sources share: the sheet below a detected header, row skipping (totals,
blank rows), cell parsers (days, months, counts), units found on a day or in a month, and
the upsert that makes an import idempotent."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, tuple_, update

from dashboard.domain.formatting import fmt_int
from data_access.importer import parse
from data_access.importer.config import Mapping, normalize_key
from data_access.importer.matching import Matcher
from data_access.importer.validate import Problem

# What the report calls each source, and what one of its rows is.
TITLES = {
    "catalogue": ("Danh mục TTHC", "thủ tục"),
    "feedback": ("Phản ánh, kiến nghị (PAKN)", "PAKN"),
    "satisfaction": ("Đánh giá sự hài lòng", "dòng đánh giá"),
    "sync": ("Số hồ sơ đồng bộ lên Cổng DVCQG", "dòng đơn vị – tháng"),
}


@dataclass
class Sheet:
    """A source's sheet: its kind, its header (where, and column -> field) and its rows."""

    kind: str
    header_at: int
    columns: dict[int, str]
    header: list[str]  # every header cell as text (the rejected rows' download)
    ignored: list[str]
    body: list[list[Any]]
    numbers: list[int]  # each body row's number as the user sees it
    notes: list[str] = field(default_factory=list)
    max_cell_chars: int = 2000  # a longer cell refuses its row before anything reads it

    @property
    def fields(self) -> set[str]:
        """The fields the header names."""
        return set(self.columns.values())

    def label(self, fld: str, fallback: str) -> str:
        """The header of a field as the file names it."""
        return next((self.header[c] for c, f in self.columns.items() if f == fld), fallback)


@dataclass
class Checked:
    """A source validated, nothing written: the records to write (one dict per row, the
    table's columns), the problems and the rejected rows' cells."""

    sheet: Sheet
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: dict[int, list[Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0


class Row:
    """One data row: its cells by field, and the problems found in it (each check adds)."""

    def __init__(self, sheet: Sheet, cells: list[Any], number: int) -> None:
        self.sheet, self.cells, self.number = sheet, cells, number
        self.problems: list[Problem] = []
        self._by_field = {f: cells[c] for c, f in sheet.columns.items() if c < len(cells)}

    def cell(self, fld: str) -> Any:
        """The raw cell of a field ('' when the file has no such column)."""
        return self._by_field.get(fld, "")

    def text(self, fld: str) -> str:
        """The cell of a field as text."""
        return parse.text(self.cell(fld))

    def problem(self, fld: str, label: str, reason: str, value: Any = None) -> None:
        """A problem in this row's `fld` column (`label` names it when the file does not)."""
        shown = self.text(fld) if value is None else parse.text(value)
        column = self.sheet.label(fld, label)
        self.problems.append(Problem(self.number, column, shown[:200], reason))

    def parsed(self, fld: str, label: str, fn: Callable[[Any], Any]) -> Any:
        """`fn` of the cell, or None after recording why it could not be read as a problem."""
        try:
            return fn(self.cell(fld))
        except ValueError as exc:
            self.problem(fld, label, str(exc))
        except OverflowError:  # a date or number past what Python or the database hold
            self.problem(fld, label, "giá trị ngoài phạm vi")
        return None

    def required(self, fld: str, label: str, fn: Callable[[Any], Any], what: str) -> Any:
        """`parsed`, and a problem "thiếu `what`" when the cell is empty."""
        found = self.parsed(fld, label, fn)
        if found is None and not self.text(fld):
            self.problem(fld, label, f"thiếu {what}")
        return found


TOTALS_WORDS = {"tong", "tong cong", "cong", "tong so", "tong hop"}


def rows_of(sheet: Sheet, checked: Checked) -> Iterable[Row]:
    """The sheet's data rows, skipping a totals row ("Tổng cộng", "Tổng", "Cộng" first) and
    rows with nothing in the columns read; the notes say so."""
    blank = 0
    limit = sheet.max_cell_chars
    for cells, number in zip(sheet.body, sheet.numbers, strict=True):
        # A cell over the limit is refused before any matching reads it (a megabyte of text
        # in a unit's name costs minutes of matching).
        long = next(
            (c for c in sheet.columns if c < len(cells) and len(parse.text(cells[c])) > limit),
            None,
        )
        if long is not None:
            checked.rows_read += 1
            row = Row(sheet, cells, number)
            size = fmt_int(len(parse.text(cells[long])))
            reason = f"giá trị dài {size} ký tự, vượt {fmt_int(limit)}"
            row.problems.append(Problem(number, sheet.header[long], "", reason))
            keep(checked, row, None)
            continue
        text = next((parse.text(c) for c in cells if parse.text(c)), "")
        first = normalize_key(text) if len(text) <= 40 else ""
        # A totals row starts with the word "Tổng", "Tổng cộng" or "Cộng" alone: "Cộng Hòa",
        # "Tống Trân" and "Tổng Cọt" are communes.
        if first in TOTALS_WORDS:
            checked.notes.append(f"Bỏ qua dòng tổng cộng {number}.")
            continue
        # Nothing in the columns read (an STT alone is not read): a numbered empty row.
        if all(parse.text(cells[c]) == "" for c in sheet.columns if c < len(cells)):
            blank += 1
            continue
        checked.rows_read += 1
        yield Row(sheet, cells, number)
    if blank:
        checked.notes.append(f"Bỏ qua {fmt_int(blank)} dòng không có dữ liệu.")


def required_code(row: Row, fld: str, label: str, what: str) -> str:
    """The row's code in `fld` (problems: missing, longer than 64 characters)."""
    code = row.text(fld)
    if not code:
        row.problem(fld, label, f"thiếu {what}")
    elif len(code) > 64:
        row.problem(fld, label, f"{what} dài quá 64 ký tự")
    return code


def keep(checked: Checked, row: Row, record: dict[str, Any] | None) -> None:
    """The row's record when it has no problem, else its problems and cells."""
    if row.problems or record is None:
        checked.problems += row.problems
        checked.rejected[row.number] = list(row.cells)
    else:
        record["_row"] = row.number
        checked.records.append(record)


def duplicates(
    checked: Checked, key: Callable[[dict[str, Any]], tuple], fld: str, label: str
) -> None:
    """Rows whose key an earlier row of the file has: rejected, naming the earlier row."""
    seen: dict[tuple, int] = {}
    kept = []
    at = {n: i for i, n in enumerate(checked.sheet.numbers)}
    for record in checked.records:
        k = key(record)
        if k in seen:
            cells = list(checked.sheet.body[at[record["_row"]]])
            row = Row(checked.sheet, cells, record["_row"])
            row.problem(fld, label, f"trùng với dòng {seen[k]}")
            checked.problems += row.problems
            checked.rejected[record["_row"]] = cells
        else:
            seen[k] = record["_row"]
            kept.append(record)
    checked.records = kept
    checked.problems.sort(key=lambda p: p.row)


# -- cells -------------------------------------------------------------------------------------
# The years a date of these files may fall in: a typo like 31/12/9999 would otherwise be
# stored, and break the working-day arithmetic of every page that reads it.
FIRST_YEAR, LAST_YEAR = 1990, 2100
COUNT_MAX = 1_000_000_000  # a count past this is a typo (and past what the database sums)


def _in_years(day_: dt.date) -> dt.date:
    if not FIRST_YEAR <= day_.year <= LAST_YEAR:
        raise ValueError(f"năm {day_.year} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}")
    return day_


def day(value: Any) -> dt.date | None:
    """A day (dd/mm/yyyy, ISO, a date cell, an Excel serial; a time is dropped), in the years
    FIRST_YEAR–LAST_YEAR; None if empty."""
    try:
        found = parse.parse_moment(value)
    except OverflowError:
        raise ValueError("ngày ngoài phạm vi") from None
    return _in_years(found[0].date()) if found else None


_MONTH = re.compile(r"(?:(?:tháng|thang|t)\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"(\d{4})\s*[/.-]\s*(\d{1,2})")


def month(value: Any) -> dt.date | None:
    """The first day of a month written mm/yyyy, "Tháng 03/2025", yyyy-mm, or any date in it."""
    t = parse.text(value)
    if not t:
        return None
    m = _MONTH.fullmatch(t)
    if m:
        mo, y = int(m.group(1)), int(m.group(2))
    elif m := _YEAR_MONTH.fullmatch(t):
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        try:
            found = day(value)
        except ValueError:
            raise ValueError("không đọc được tháng (dùng mm/yyyy)") from None
        if found is None:
            return None
        return found.replace(day=1)
    if not 1 <= mo <= 12:
        raise ValueError("tháng ngoài phạm vi 1–12")
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValueError(f"năm {y} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}")
    return dt.date(y, mo, 1)


def month_end(first: dt.date) -> dt.date:
    """The last day of the month that starts on `first`."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def count(value: Any, most: int = COUNT_MAX) -> int | None:
    """A whole count from 0 to `most` ("1.234" and "1,234" read as thousands); None when
    empty."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= COUNT_MAX * 10:
        value = int(value)
    t = parse.text(value).replace(" ", "")
    if not t:
        return None
    if _GROUPED.fullmatch(t):
        t = re.sub(r"[.,]", "", t)
    if not t.isascii() or not t.isdigit():  # "²" is a digit to Python, not to an office
        raise ValueError("không phải số nguyên không âm")
    if len(t) > len(str(most)) or int(t) > most:
        raise ValueError(f"vượt quá {fmt_int(most)}")
    return int(t)


def word(mapping: Mapping, vocabulary: str, value: Any, reason: str) -> str:
    """The canonical value of a word of `vocabulary` (mapping.toml), else ValueError(reason)."""
    found = mapping.source_words.get(vocabulary, {}).get(normalize_key(parse.text(value)))
    if found is None:
        raise ValueError(reason)
    return found


def bool_or(mapping: Mapping, value: Any, *, default: bool) -> bool:
    """Có/Không (and the other boolean words); `default` when empty."""
    return default if parse.text(value) == "" else parse.parse_bool(value, mapping)


# -- units -------------------------------------------------------------------------------------
def unit_on(matcher: Matcher, row: Row, on: dt.date | None) -> int | None:
    """The unit version the row names (code, else name) valid on `on`; None after a problem."""
    try:
        return matcher.unit(row.text("unit_code"), row.text("unit"), on)
    except ValueError as exc:
        _unit_problem(row, str(exc))
        return None


def unit_in_month(matcher: Matcher, row: Row, first: dt.date) -> int | None:
    """The unit version valid on the month's first day, else on its last (a unit created
    within the month); None after a problem (the first day's reason)."""
    try:
        return matcher.unit(row.text("unit_code"), row.text("unit"), first)
    except ValueError as exc:
        try:
            return matcher.unit(row.text("unit_code"), row.text("unit"), month_end(first))
        except ValueError:
            _unit_problem(row, str(exc))
            return None


def _unit_problem(row: Row, reason: str) -> None:
    fld = "unit" if row.text("unit") or "unit" in row.sheet.fields else "unit_code"
    value = row.text("unit") or row.text("unit_code")
    row.problem(fld, "Đơn vị", reason, value)


def missing_columns(
    sheet: Sheet, required: dict[str, str], unit: bool, unit_default: str | None
) -> None:
    """Refuse the file when its header lacks a required column (FileRefused)."""
    from data_access.importer.reader import FileRefused

    missing = [label for fld, label in required.items() if fld not in sheet.fields]
    if unit and not ({"unit", "unit_code"} & sheet.fields) and not unit_default:
        missing.append("Đơn vị (hoặc Mã đơn vị)")
    if missing:
        title = TITLES[sheet.kind][0]
        raise FileRefused(f"Tệp {title} thiếu cột bắt buộc: " + ", ".join(missing) + ".")


# -- writing -----------------------------------------------------------------------------------
@dataclass
class Counts:
    """What a write did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert(
    conn: Connection,
    model: type[Any],
    keys: Sequence[str],
    records: list[dict[str, Any]],
    import_id: int,
) -> Counts:
    """Insert into `model`'s table the records new by `keys`, update those whose values
    differ (taking this import's id), leave equal ones alone: the same file again changes
    nothing."""
    table: Table = model.__table__
    values = [c.name for c in table.columns if c.name not in (*keys, "id", "import_id")]
    existing: dict[tuple, tuple] = {}
    wanted = sorted({tuple(r[k] for k in keys) for r in records})
    key_cols = [table.c[k] for k in keys]
    for start in range(0, len(wanted), 500):  # bound the statement's parameters
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(*key_cols, *[table.c[v] for v in values]).where(tuple_(*key_cols).in_(chunk))
        )
        for row in rows:
            existing[tuple(row[: len(keys)])] = tuple(row[len(keys) :])
    counts = Counts()
    new, changed = [], []
    for r in records:
        k = tuple(r[key] for key in keys)
        mine = tuple(r[v] for v in values)
        if k not in existing:
            new.append({**{c: r[c] for c in (*keys, *values)}, "import_id": import_id})
        elif existing[k] != mine:
            by_key = {f"k_{c}": r[c] for c in keys}
            changed.append({**by_key, **{v: r[v] for v in values}, "import_id": import_id})
        else:
            counts.unchanged += 1
    if new:
        conn.execute(insert(table), new)
    if changed:
        where = [table.c[k] == bindparam(f"k_{k}") for k in keys]
        conn.execute(update(table).where(*where), changed)
    counts.inserted, counts.updated = len(new), len(changed)
    return counts
