"""Find the header, map columns, and turn each row into a dossier or a list of problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.domain.formatting import fmt_int
from data_access.importer import parse
from data_access.importer.cells import Column, combined, grouped
from data_access.importer.config import Mapping, normalize_key
from data_access.importer.matching import Catalog, Matcher
from data_access.importer.reader import FileRefused, RawTable
from data_access.models import DAY_ONLY_BITS

REQUIRED = {
    "code": "Mã hồ sơ",
    "channel": "Kênh nộp",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "status": "Trạng thái",
}
DATE_FIELDS = (
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "supplement_requested_at",
    "supplement_received_at",
)
BOOL_FIELDS = ("paid_online", "digitized", "e_result", "reused_data", "national_store", "vneid")
NOT_ACCEPTED = ("new", "not_accepted")
FINISHED = ("resolved", "withdrawn", "returned")
UNFINISHED = ("received", "processing", "supplement", "paused")
# What a column is called in a problem when the file does not have it.
LABELS = {"submitted_at": "Ngày nộp", "procedure_code": "Mã thủ tục", "unit": "Đơn vị"}
TEXT_FIELDS = (
    "code",
    "unit",
    "unit_code",
    "procedure_code",
    "procedure_name",
    "field",
    "status",
    "reception_officer",
)


@dataclass(frozen=True)
class Problem:
    """One problem: the row as the user sees it, the column's header, the value, why."""

    row: int
    column: str
    value: str
    reason: str
    code: str = ""  # the dossier's code, when the row gives one


@dataclass
class Validated:
    """The outcome of validation (nothing written yet). `frame` holds the valid rows, one
    column per dossier field (dates as datetime64, flags as bools), plus `_row` (the row
    number) and `_field_name` (a field to create when its id is not known yet)."""

    frame: pd.DataFrame
    problems: list[Problem]
    rejected: dict[int, list[Any]]  # row number -> original cells
    header: list[str]
    header_row: int
    ignored_columns: list[str]
    new_procedures: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> name, field
    new_fields: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    day_only: dict[str, int] = field(default_factory=dict)  # date column -> values with no time
    absent: tuple[str, ...] = ()  # columns the stored dossiers keep (writer.KEPT_WHEN_ABSENT)


def _columns_at(
    rows: list[list[Any]], i: int, mapping: Mapping
) -> tuple[dict[int, str], list[str]]:
    """Column -> field if row `i` is the header (reading a two-row header with the row above)."""
    row = rows[i]
    above = rows[i - 1] if i > 0 else []
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for c, cell in enumerate(row):
        name = parse.text(cell)
        # A two-row header: "Ngày" merged above "Tiếp nhận" reads as "Ngày tiếp nhận".
        group = parse.text(above[c]) if c < len(above) else ""
        candidates = [name, f"{group} {name}".strip(), "" if name else group]
        found = next(
            (mapping.header_field(n) for n in candidates if n and mapping.header_field(n)), None
        )
        if found and found not in columns.values():
            columns[c] = found
        elif name:
            ignored.append(name)
    return columns, ignored


def find_header(table: RawTable, mapping: Mapping) -> tuple[int, dict[int, str], list[str]]:
    """Index of the header row, column -> field, and the ignored headers."""
    best: tuple[int, int] | None = None  # (hits, index); ties go to the lower row
    rows = table.head(mapping.limits["header_search_rows"])
    for i in range(len(rows)):
        columns, _ = _columns_at(rows, i, mapping)
        if "code" in columns.values() and (best is None or len(columns) >= best[0]):
            best = (len(columns), i)
    if best is None or best[0] < 3:
        raise FileRefused(
            "Không tìm thấy dòng tiêu đề (cần ít nhất cột «Mã hồ sơ» và các cột bắt buộc) trong "
            f"{mapping.limits['header_search_rows']} dòng đầu."
        )
    columns, ignored = _columns_at(rows, best[1], mapping)
    return best[1], columns, ignored


class _Problems:
    """Problems gathered check by check over whole columns, then sorted as a person reads
    them: by row, and within a row in the order the checks are listed in `validate`."""

    def __init__(self, numbers: np.ndarray, headers: dict[str, str], codes: np.ndarray) -> None:
        self.numbers, self.headers, self.codes = numbers, headers, codes
        self.found: list[tuple[int, int, Problem]] = []
        self.bad = np.zeros(len(numbers), dtype=bool)
        self.order = 0

    def add(self, mask: np.ndarray, column: str, values: Any, reason: Any) -> None:
        """A problem in `column` for every row of `mask`; `values` are the cells (an array,
        or a function giving it, called only when a row has the problem); `reason` is a text,
        an array of texts, or a function of the row index."""
        self.order += 1
        if not mask.any():
            return
        if callable(values):
            values = values()
        for i in np.flatnonzero(mask):
            why = (
                reason(i) if callable(reason) else reason if isinstance(reason, str) else reason[i]
            )
            problem = Problem(
                int(self.numbers[i]), column, str(values[i])[:200], why, str(self.codes[i])[:64]
            )
            self.found.append((int(self.numbers[i]), self.order, problem))
        self.bad |= mask

    def column(self, fld: str) -> str:
        """The header of a field as the file names it."""
        return self.headers.get(fld) or LABELS.get(fld, fld)

    def unit_column(self) -> str:
        """The unit's column: the name column, else the code column."""
        return self.headers.get("unit") or self.headers.get("unit_code") or LABELS["unit"]

    def sorted(self) -> list[Problem]:
        """Every problem, by row then check."""
        return [p for _, _, p in sorted(self.found, key=lambda t: (t[0], t[1]))]


def _days(moments: np.ndarray) -> np.ndarray:
    """Calendar days as integers (NaT stays NaT-like: the minimum int64)."""
    return moments.astype("datetime64[D]").astype(np.int64)


def _fmt_day(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%d/%m/%Y")


def _fmt_minute(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%d/%m/%Y %H:%M")


def validate(
    table: RawTable, catalog: Catalog, mapping: Mapping, unit_default: str | None = None
) -> Validated:
    """Validate every data row below the header, column by column; nothing is written."""
    header_at, columns, ignored = find_header(table, mapping)
    fields = set(columns.values())
    missing = [label for fld, label in REQUIRED.items() if fld not in fields]
    if not ({"unit", "unit_code"} & fields) and not unit_default:
        missing.append("Đơn vị (hoặc Mã đơn vị)")
    if not ({"procedure_code", "procedure_name"} & fields):
        missing.append("Mã thủ tục hoặc Tên thủ tục")
    if missing:
        raise FileRefused("Thiếu cột bắt buộc: " + ", ".join(missing) + ".")
    header_cells = table.head(header_at + 1)[header_at]
    headers = {fld: parse.text(header_cells[c]) for c, fld in columns.items()}
    out = Validated(
        pd.DataFrame(),
        [],
        {},
        [parse.text(c) for c in header_cells],
        table.row_numbers[header_at],
        ignored,
        notes=list(table.notes),
    )
    body = table.cells[header_at + 1 :]
    numbers = np.asarray(table.row_numbers[header_at + 1 :], dtype=np.int64)
    col = {fld: Column.of(table, c, header_at + 1) for c, fld in columns.items()}
    n = len(body)
    txt = {f: col[f].texts() if f in col else np.full(n, "", dtype=object) for f in TEXT_FIELDS}

    # Rows that are not dossiers: a totals row (no status, first words "Tổng"/"Cộng"), and
    # rows whose columns of interest are all empty (a numbered empty row, spaces).
    skip = np.zeros(n, dtype=bool)
    blank_rows = 0
    for i in np.flatnonzero(txt["status"] == ""):
        first = next((normalize_key(parse.text(c)) for c in body[i] if parse.text(c)), "")
        if first.startswith(("tong", "cong")):
            out.notes.append(f"Bỏ qua dòng tổng cộng {numbers[i]}.")
            skip[i] = True
        elif txt["code"][i] == "" and all(parse.text(body[i][c]) == "" for c in columns):
            skip[i] = True
            blank_rows += 1
    if blank_rows:
        out.notes.append(f"Bỏ qua {fmt_int(blank_rows)} dòng không có dữ liệu.")
    keep = np.flatnonzero(~skip)
    body, numbers = body[keep], numbers[keep]
    txt = {f: v[keep] for f, v in txt.items()}
    m = len(keep)
    out.rows_read = m
    problems = _Problems(numbers, headers, txt["code"])

    def raw(fld: str) -> np.ndarray:
        """The cells of a field as the user typed them (for the report)."""
        return (
            txt[fld]
            if fld in txt
            else (col[fld].texts()[keep] if fld in col else np.full(m, "", dtype=object))
        )

    unit_text = np.where(txt["unit"] != "", txt["unit"], txt["unit_code"])

    # 1. A cell over the size limit: the only problem reported for its row.
    limit = mapping.limits["max_cell_chars"]
    long = np.zeros(m, dtype=bool)
    for fld in columns.values():
        if (table.longest_cell or 0) <= limit and table.longest_cell is not None:
            break  # no line of the file is that long
        if col[fld].longest() <= limit:
            continue
        size = col[fld].lengths()[keep]
        hit = (size > limit) & ~long
        is_unit = fld == "unit"  # either unit column reports as the unit
        problems.add(
            hit,
            problems.unit_column() if is_unit else problems.column(fld),
            unit_text if is_unit else lambda fld=fld: raw(fld),
            lambda i, size=size: f"giá trị dài {size[i]:,} ký tự, vượt {limit:,}".replace(",", "."),
        )
        long |= hit
    ok = ~long

    # 2. Each cell on its own.
    problems.add(ok & (txt["code"] == ""), problems.column("code"), txt["code"], "thiếu mã hồ sơ")
    when, bare, failed = {}, {}, {}
    for fld in DATE_FIELDS:
        if fld in col:
            w, b, e = col[fld].moments()
            when[fld], bare[fld], err = w[keep], b[keep], e[keep]
            failed[fld] = pd.notna(err)
            problems.add(ok & failed[fld], problems.column(fld), lambda fld=fld: raw(fld), err)
        else:
            when[fld] = np.full(m, np.datetime64("NaT", "us"))
            bare[fld], failed[fld] = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    words = [
        ("channel", lambda v: parse.parse_channel(v, mapping), None),
        ("status", lambda v: parse.parse_status(v, mapping), None),
        ("has_fee", lambda v: parse.parse_fee(v, mapping), False),
        *[(f, lambda v: parse.parse_bool(v, mapping), False) for f in BOOL_FIELDS],
        ("supplement_count", parse.parse_count, None),
    ]
    value: dict[str, np.ndarray] = {}
    for fld, fn, absent in words:
        if fld in col:
            v, e = col[fld].parsed(fn)
            value[fld], err = v[keep], e[keep]
            failed[fld] = pd.notna(err)
            problems.add(ok & failed[fld], problems.column(fld), lambda fld=fld: raw(fld), err)
            if absent is not None:
                value[fld] = np.where(pd.isna(value[fld]), absent, value[fld])
        else:
            value[fld] = np.full(m, absent, dtype=object)
            failed[fld] = np.zeros(m, dtype=bool)

    # 3. The unit on the reception day (the submission day when not received), the procedure.
    matcher = Matcher(catalog, mapping, unit_default)
    day = np.where(np.isnat(when["received_at"]), when["submitted_at"], when["received_at"])
    day_key = np.where(np.isnat(day), -1, _days(day))
    codes, combos = combined(txt["unit_code"], txt["unit"], day_key)
    unit_ids = np.zeros(len(combos), dtype=np.int64)
    unit_err = np.empty(len(combos), dtype=object)
    for k, (code, name, d) in enumerate(combos):
        try:
            on = None if d < 0 else (np.datetime64(int(d), "D").astype(object))
            unit_ids[k] = matcher.unit(code, name, on)
        except ValueError as exc:
            unit_err[k] = str(exc)
    unit_id, unit_err = unit_ids[codes], unit_err[codes]
    unit_ok = pd.isna(unit_err)
    problems.add(ok & ~unit_ok, problems.unit_column(), unit_text, unit_err)
    field_name = (
        col["field"].map(lambda v: matcher.field_name(parse.text(v)))[keep]
        if "field" in col
        else np.full(m, "", dtype=object)
    )
    codes, combos = combined(txt["procedure_code"], txt["procedure_name"], field_name)
    proc_code = np.empty(len(combos), dtype=object)
    proc_field = np.full(len(combos), np.nan)
    proc_err = np.empty(len(combos), dtype=object)
    for k, combo in enumerate(combos):
        try:
            proc_code[k], fid = matcher.procedure(*combo)
            proc_field[k] = np.nan if fid is None else fid
        except ValueError as exc:
            proc_err[k] = str(exc)
    proc_code, proc_field, proc_err = proc_code[codes], proc_field[codes], proc_err[codes]
    problems.add(
        ok & pd.notna(proc_err),
        problems.column("procedure_code"),
        txt["procedure_code"],
        proc_err,
    )

    # 4. The row as a whole.
    status = value["status"]
    accepted = pd.notna(status) & ~np.isin(status, NOT_ACCEPTED)
    rec, due, fin, sub = (when[f] for f in ("received_at", "due_at", "finished_at", "submitted_at"))
    problems.add(
        ok & accepted & np.isnat(rec) & ~failed["received_at"],
        problems.column("received_at"),
        lambda: raw("received_at"),
        "thiếu ngày tiếp nhận",
    )
    problems.add(
        ok & accepted & np.isnat(due) & ~failed["due_at"],
        problems.column("due_at"),
        lambda: raw("due_at"),
        "thiếu ngày hẹn trả",
    )
    problems.add(
        ok & (value["channel"] == 2) & np.isnat(sub) & ~failed["submitted_at"],
        problems.column("submitted_at"),
        lambda: raw("submitted_at"),
        "hồ sơ trực tuyến thiếu ngày nộp",
    )
    both = ~np.isnat(rec) & ~np.isnat(due)
    problems.add(
        ok & both & (_days(due) < _days(rec)),
        problems.column("due_at"),
        lambda: raw("due_at"),
        lambda i: f"ngày hẹn trả trước ngày tiếp nhận ({_fmt_day(rec[i])})",
    )
    # At the coarser precision of the two: a result dated the reception day is normal.
    coarse = bare["received_at"] | bare["finished_at"]
    both = ~np.isnat(rec) & ~np.isnat(fin)
    early = both & np.where(coarse, _days(fin) < _days(rec), fin < rec)
    problems.add(
        ok & early,
        problems.column("finished_at"),
        lambda: raw("finished_at"),
        lambda i: (
            "ngày có kết quả trước ngày tiếp nhận ("
            + (_fmt_day(rec[i]) if bare["received_at"][i] else _fmt_minute(rec[i]))
            + ")"
        ),
    )
    problems.add(
        ok & np.isin(status, FINISHED) & np.isnat(fin),
        problems.column("finished_at"),
        lambda: raw("finished_at"),
        "hồ sơ đã kết thúc nhưng thiếu ngày có kết quả",
    )
    problems.add(
        ok & np.isin(status, UNFINISHED) & ~np.isnat(fin),
        problems.column("finished_at"),
        lambda: raw("finished_at"),
        "hồ sơ chưa kết thúc nhưng có ngày có kết quả",
    )
    # The same dossier twice in the file (same unit version and code): the later rows.
    seen = ok & unit_ok & (txt["code"] != "")
    idx = np.flatnonzero(seen)
    if len(idx):
        codes = grouped(unit_id[idx], txt["code"][idx])
        first_at = np.unique(codes, return_index=True)[1]
        first_row = numbers[idx][first_at][codes]
        dup = np.zeros(m, dtype=bool)
        dup[idx] = first_row != numbers[idx]
        earlier = np.zeros(m, dtype=np.int64)
        earlier[idx] = first_row
        problems.add(
            dup,
            problems.column("code"),
            txt["code"],
            lambda i: f"trùng mã hồ sơ với dòng {earlier[i]}",
        )

    out.problems = problems.sorted()
    good = ~problems.bad
    out.rejected = {int(numbers[i]): body[i].tolist() for i in np.flatnonzero(problems.bad)}
    day_only = np.zeros(m, dtype=np.int64)
    for fld in DATE_FIELDS:
        day_only |= np.where(bare[fld] & ~np.isnat(when[fld]), DAY_ONLY_BITS[fld], 0)
        count = int((bare[fld] & good & ~np.isnat(when[fld])).sum())
        if count:
            out.day_only[fld] = count
            out.notes.append(
                f"{headers.get(fld, fld)}: {fmt_int(count)} giá trị chỉ có ngày (không có giờ), "
                "được tính theo ngày."
            )
    known_field = np.array(
        [np.nan if not f else catalog.fields.get(f, np.nan) for f in field_name], dtype=float
    )
    new_field_of_proc = np.array(
        [matcher.new_procedures.get(c, (None, None))[1] if c else None for c in proc_code],
        dtype=object,
    )
    frame = {
        "_row": numbers,
        "unit_id": unit_id,
        "code": txt["code"],
        "procedure_code": proc_code,
        "field_id": np.where(field_name != "", known_field, proc_field),
        "_field_name": np.where(
            field_name != "",
            field_name,
            np.where(np.isnan(proc_field), new_field_of_proc, np.array(None, dtype=object)),
        ),
        "channel": value["channel"],
        **when,
        "day_only": day_only,
        "status": status,
        "status_label": np.array([t[:100] or None for t in txt["status"]], dtype=object),
        "_reception_officer": np.array([t[:200] for t in txt["reception_officer"]], dtype=object),
        **{f: value[f] for f in ("has_fee", *BOOL_FIELDS)},
        # Not given: once when the row names a request day, else never.
        "supplement_count": np.where(
            pd.isna(value["supplement_count"]),
            np.where(np.isnat(when["supplement_requested_at"]), 0, 1),
            value["supplement_count"],
        ),
    }
    out.frame = pd.DataFrame({k: v[good] for k, v in frame.items()})
    out.frame["channel"] = out.frame["channel"].astype(np.int64)
    for f in ("has_fee", *BOOL_FIELDS):
        out.frame[f] = out.frame[f].astype(bool)
    out.frame["supplement_count"] = out.frame["supplement_count"].astype(np.int64)
    out.absent = tuple(
        f for f in ("national_store", "vneid", "supplement_count") if f not in columns.values()
    )
    out.new_procedures = matcher.new_procedures
    out.new_fields = matcher.new_fields | {
        f for _, f in matcher.new_procedures.values() if f not in catalog.fields
    }
    return out
