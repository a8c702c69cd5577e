"""Find the header, map columns, and turn each row into a dossier or a list of problems."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dashboard.formatting import fmt_int
from dashboard.indicators.units import UnitRow, Units
from data_access.importer import parse
from data_access.importer.config import Mapping, normalize_key
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
BOOL_FIELDS = ("paid_online", "digitized", "e_result", "reused_data")
NOT_ACCEPTED = ("new", "not_accepted")
FINISHED = ("resolved", "withdrawn", "returned")
UNFINISHED = ("received", "processing", "supplement", "paused")
UNKNOWN_FIELD = "Chưa phân loại"
PREFIX_KINDS = {
    "thi tran": ("town",),
    "tt": ("town",),
    "xa": ("commune",),
    "phuong": ("ward",),
    "huyen": ("district",),
    "ubnd huyen": ("district",),
    "ubnd xa": ("commune",),
    "ubnd thi tran": ("town",),
    "ubnd phuong": ("ward",),
    "phong": ("department",),
}


@dataclass(frozen=True)
class Problem:
    """One problem: the row as the user sees it, the column's header, the value, why."""

    row: int
    column: str
    value: str
    reason: str


@dataclass
class Catalog:
    """What rows are checked against: units, procedures and fields already known."""

    units: Units
    procedures: dict[str, tuple[str, int, bool, bool]]  # code -> (name, field id, fee, online)
    fields: dict[str, int]  # name -> id

    def __post_init__(self) -> None:
        self.unit_names: dict[str, list[UnitRow]] = {}
        self.proc_names = {normalize_key(p[0]): code for code, p in self.procedures.items()}
        self.field_keys = {normalize_key(name): name for name in self.fields}


@dataclass
class Validated:
    """The outcome of validation (nothing written yet)."""

    rows: list[dict]
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


def _strip_prefixes(key: str, prefixes: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if key.startswith(p + " "):
                key = key[len(p) + 1 :]
                changed = True
    return key


def _columns_at(table: RawTable, i: int, mapping: Mapping) -> tuple[dict[int, str], list[str]]:
    """Column -> field if row `i` is the header (reading a two-row header with the row above)."""
    row = table.rows[i]
    above = table.rows[i - 1] if i > 0 else []
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
    for i in range(min(len(table.rows), mapping.limits["header_search_rows"])):
        columns, _ = _columns_at(table, i, mapping)
        if "code" in columns.values() and (best is None or len(columns) >= best[0]):
            best = (len(columns), i)
    if best is None or best[0] < 3:
        raise FileRefused(
            "Không tìm thấy dòng tiêu đề (cần ít nhất cột «Mã hồ sơ» và các cột bắt buộc) trong "
            f"{mapping.limits['header_search_rows']} dòng đầu."
        )
    columns, ignored = _columns_at(table, best[1], mapping)
    return best[1], columns, ignored


class RowChecker:
    """Validates one row at a time, remembering codes seen (duplicates) and new catalog items."""

    def __init__(
        self, catalog: Catalog, mapping: Mapping, unit_default: str | None, headers: dict[str, str]
    ):
        self.catalog, self.mapping, self.unit_default = catalog, mapping, unit_default
        self.headers = headers  # field -> header as in the file
        self.seen: dict[tuple[int, str], int] = {}
        self.day_only: dict[str, int] = dict.fromkeys(DATE_FIELDS, 0)
        self._unit_memo: dict[tuple[str, str, dt.date | None], tuple[int | None, str | None]] = {}
        # Exports repeat the same words and times: parse each distinct cell once.
        self.memo: dict[tuple[str, Any], tuple[Any, str | None]] = {}
        self._proc_memo: dict[tuple[str, str, str], tuple[str, int | None]] = {}
        # (field, memo kind, parser, value when the column is absent)
        self.cell_specs: list[tuple[str, str, Callable[[Any], Any], Any]] = [
            *[(f, "date", parse.parse_moment, None) for f in DATE_FIELDS],
            ("channel", "channel", self._channel, None),
            ("status", "status", self._status, None),
            ("has_fee", "fee", self._fee, False),
            *[(f, "bool", self._bool, False) for f in BOOL_FIELDS],
        ]
        self.new_procedures: dict[str, tuple[str, str]] = {}
        self.new_fields: set[str] = set()
        for u in catalog.units.values():
            key = _strip_prefixes(normalize_key(u.name), mapping.unit_prefixes)
            catalog.unit_names.setdefault(key, []).append(u)

    def _unit(self, raw_code: str, raw_name: str, day: dt.date | None) -> int:
        """The unit version a row names (by code, else by name) on its reception day."""
        key = (raw_code, raw_name, day)
        hit = self._unit_memo.get(key)
        if hit is None:
            try:
                hit = (self._find_unit(raw_code, raw_name, day), None)
            except ValueError as exc:
                hit = (None, str(exc))
            self._unit_memo[key] = hit
        if hit[1] is not None:
            raise ValueError(hit[1])
        return hit[0]  # type: ignore[return-value]

    def _by_code(self, code: str, day: dt.date | None) -> int:
        units = self.catalog.units
        versions = units.versions(code)
        if day is None:
            if len(versions) == 1:
                return versions[0].id
            raise ValueError(f"mã {code} dùng cho nhiều đơn vị theo thời gian; cần ngày tiếp nhận")
        found = units.valid_on(code, day)
        if found is not None:
            return found.id
        before = [v for v in versions if v.valid_to is not None and v.valid_to < day]
        if before:
            u = before[-1]
            return self._ended(u, day)
        first = versions[0]
        raise ValueError(
            f"mã {code} ({first.name}) chỉ có hiệu lực từ ngày {first.valid_from:%d/%m/%Y}"
        )

    def _ended(self, u: UnitRow, day: dt.date) -> int:
        after = self.catalog.units.get(u.successor_id) if u.successor_id else None
        merged = f" (đã sáp nhập vào {after.name} ({after.code}))" if after else ""
        raise ValueError(f"đơn vị {u.name} không còn hiệu lực ngày {day:%d/%m/%Y}{merged}")

    def _find_unit(self, raw_code: str, raw_name: str, day: dt.date | None) -> int:
        units = self.catalog.units
        for candidate in (raw_code, raw_name):
            if candidate and units.versions(candidate):
                return self._by_code(candidate, day)
        name = raw_name or raw_code
        if not name:
            if self.unit_default:
                return self._by_code(self.unit_default, day)
            raise ValueError("thiếu đơn vị")
        key = _strip_prefixes(normalize_key(name), self.mapping.unit_prefixes)
        found = self.catalog.unit_names.get(key, [])
        if day is not None and found:
            valid = [u for u in found if u.valid_on(day)]
            if not valid:
                ended = sorted(
                    (u for u in found if u.valid_to is not None and u.valid_to < day),
                    key=lambda u: u.valid_to or day,
                )
                return self._ended((ended or found)[-1], day)
            found = valid
        if len(found) > 1:
            # "TT Nam Sách" is the town, "huyện Nam Sách" the district: the prefix decides;
            # without one, a receiving unit wins over the district of the same name.
            raw_key = normalize_key(name)
            kinds = next(
                (k for p, k in PREFIX_KINDS.items() if raw_key.startswith(p + " ")),
                ("commune", "town", "ward", "department"),
            )
            found = [u for u in found if u.kind in kinds] or found
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            names = ", ".join(f"{u.name} ({u.code})" for u in found)
            raise ValueError(f"tên đơn vị trùng nhiều đơn vị: {names}; hãy dùng mã đơn vị")
        close = difflib.get_close_matches(key, list(self.catalog.unit_names), n=3, cutoff=0.75)
        hint = ", ".join(
            f"{self.catalog.unit_names[k][-1].name} ({self.catalog.unit_names[k][-1].code})"
            for k in close
        )
        raise ValueError("không có đơn vị này" + (f"; có phải: {hint}?" if hint else ""))

    def _channel(self, raw: Any) -> int:
        return parse.parse_channel(raw, self.mapping)

    def _status(self, raw: Any) -> str:
        return parse.parse_status(raw, self.mapping)

    def _fee(self, raw: Any) -> bool:
        return parse.parse_fee(raw, self.mapping)

    def _bool(self, raw: Any) -> bool:
        return parse.parse_bool(raw, self.mapping)

    def _procedure(self, raw_code: str, raw_name: str, field_name: str) -> tuple[str, int | None]:
        key = (raw_code, raw_name, field_name)
        if key not in self._proc_memo:
            self._proc_memo[key] = self._find_procedure(raw_code, raw_name, field_name)
        return self._proc_memo[key]

    def _find_procedure(
        self, raw_code: str, raw_name: str, field_name: str
    ) -> tuple[str, int | None]:
        procs = self.catalog.procedures
        code = parse.national_code(raw_code)
        if code is None and raw_code:
            code = raw_code.strip()
        if code is None and raw_name:
            code = self.catalog.proc_names.get(normalize_key(raw_name))
            if code is None:  # unknown and without a code: a stable local code from the name
                code = "DP-" + hashlib.sha1(normalize_key(raw_name).encode()).hexdigest()[:8]
        if code is None:
            raise ValueError("thiếu mã hoặc tên thủ tục")
        if code in procs:
            return code, procs[code][1]
        if code not in self.new_procedures:
            self.new_procedures[code] = (raw_name or code, field_name or UNKNOWN_FIELD)
        return code, None

    def _field_name(self, raw: str) -> str:
        if not raw:
            return ""
        known = self.catalog.field_keys.get(normalize_key(raw))
        if known:
            return known
        self.new_fields.add(raw.strip())
        return raw.strip()

    def check(self, number: int, values: dict[str, Any]) -> tuple[dict | None, list[Problem]]:
        """A dossier dict (with '_field_name' when the field is not known yet) or problems."""
        problems: list[Problem] = []

        def bad(fld: str, reason: str) -> None:
            if fld == "unit":  # the unit may come from either unit column
                raw = parse.text(values.get("unit")) or parse.text(values.get("unit_code"))
                column = self.headers.get("unit") or self.headers.get("unit_code", "Đơn vị")
            else:
                raw, column = parse.text(values.get(fld)), self.headers.get(fld, fld)
            problems.append(Problem(number, column, raw[:200], reason))

        failed: set[str] = set()
        memo = self.memo

        def attempt(fld: str, fn: Callable[[Any], Any]) -> Any:
            try:
                return fn(values.get(fld))
            except ValueError as exc:
                failed.add(fld)
                bad(fld, str(exc))
                return None

        limit = self.mapping.limits["max_cell_chars"]
        for fld, raw in values.items():
            if isinstance(raw, str) and len(raw) > limit:
                bad(fld, f"giá trị dài {len(raw):,} ký tự, vượt {limit:,}".replace(",", "."))
                return None, problems
        row: dict[str, Any] = {"code": parse.text(values.get("code"))}
        if not row["code"]:
            bad("code", "thiếu mã hồ sơ")
        # The per-cell parsers, each distinct cell parsed once (inline: this loop runs for
        # every cell of a 200 000-row file).
        for fld, kind, fn, missing in self.cell_specs:
            if fld not in values:
                row[fld] = missing
                continue
            raw = values[fld]  # cells are str, numbers, dates or bools: all hashable
            hit = memo.get((kind, raw))
            if hit is None:
                try:
                    hit = (fn(raw), None)
                except ValueError as exc:
                    hit = (None, str(exc))
                memo[(kind, raw)] = hit
            if hit[1] is not None:
                failed.add(fld)
                bad(fld, hit[1])
            row[fld] = hit[0] if hit[0] is not None else missing
        day_only = 0
        for fld in DATE_FIELDS:
            moment = row[fld]
            if moment is not None:
                row[fld], bare = moment
                if bare:
                    day_only |= DAY_ONLY_BITS[fld]
        row["day_only"] = day_only
        row["status_label"] = parse.text(values.get("status"))[:100] or None
        field_name = self._field_name(parse.text(values.get("field")))
        day = row["received_at"] or row["submitted_at"]
        unit = attempt(
            "unit",
            lambda _v: self._unit(
                parse.text(values.get("unit_code")),
                parse.text(values.get("unit")),
                day.date() if day else None,
            ),
        )
        proc = attempt(
            "procedure_code",
            lambda _v: self._procedure(
                parse.text(values.get("procedure_code")),
                parse.text(values.get("procedure_name")),
                field_name,
            ),
        )
        status, channel = row["status"], row["channel"]
        if status is not None and status not in NOT_ACCEPTED:
            if row["received_at"] is None and "received_at" not in failed:
                bad("received_at", "thiếu ngày tiếp nhận")
            if row["due_at"] is None and "due_at" not in failed:
                bad("due_at", "thiếu ngày hẹn trả")
        if channel == 2 and row["submitted_at"] is None and "submitted_at" not in failed:
            bad("submitted_at", "hồ sơ trực tuyến thiếu ngày nộp")
        rec, due, fin = row["received_at"], row["due_at"], row["finished_at"]
        if rec and due and due.date() < rec.date():
            bad("due_at", f"ngày hẹn trả trước ngày tiếp nhận ({rec:%d/%m/%Y})")
        # At the coarser precision of the two: a result dated the reception day is normal.
        if (
            rec
            and fin
            and (
                fin.date() < rec.date()
                if day_only & (DAY_ONLY_BITS["received_at"] | DAY_ONLY_BITS["finished_at"])
                else fin < rec
            )
        ):
            shown = (
                f"{rec:%d/%m/%Y}"
                if day_only & DAY_ONLY_BITS["received_at"]
                else (f"{rec:%d/%m/%Y %H:%M}")
            )
            bad("finished_at", f"ngày có kết quả trước ngày tiếp nhận ({shown})")
        if status in FINISHED and fin is None:
            bad("finished_at", "hồ sơ đã kết thúc nhưng thiếu ngày có kết quả")
        if status in UNFINISHED and fin is not None:
            bad("finished_at", "hồ sơ chưa kết thúc nhưng có ngày có kết quả")
        if unit and row["code"]:
            first = self.seen.get((unit, row["code"]))
            if first is not None:
                bad("code", f"trùng mã hồ sơ với dòng {first}")
            else:
                self.seen[(unit, row["code"])] = number
        if problems:
            return None, problems
        for fld in DATE_FIELDS:
            if day_only & DAY_ONLY_BITS[fld]:
                self.day_only[fld] += 1
        row["unit_id"] = unit
        row["procedure_code"], row["field_id"] = proc
        if field_name:
            row["field_id"] = self.catalog.fields.get(field_name)
        row["_field_name"] = field_name or (
            self.new_procedures[proc[0]][1] if proc[1] is None else None
        )
        return row, []


def validate(
    table: RawTable, catalog: Catalog, mapping: Mapping, unit_default: str | None = None
) -> Validated:
    """Validate every data row below the header; nothing is written."""
    header_at, columns, ignored = find_header(table, mapping)
    fields = set(columns.values())
    missing = [label for fld, label in REQUIRED.items() if fld not in fields]
    if not ({"unit", "unit_code"} & fields) and not unit_default:
        missing.append("Đơn vị (hoặc dùng --unit-default)")
    if not ({"procedure_code", "procedure_name"} & fields):
        missing.append("Mã thủ tục hoặc Tên thủ tục")
    if missing:
        raise FileRefused("Thiếu cột bắt buộc: " + ", ".join(missing) + ".")
    header_cells = table.rows[header_at]
    headers = {fld: parse.text(header_cells[c]) for c, fld in columns.items()}
    checker = RowChecker(catalog, mapping, unit_default, headers)
    out = Validated(
        [],
        [],
        {},
        [parse.text(c) for c in header_cells],
        table.row_numbers[header_at],
        ignored,
        notes=list(table.notes),
    )
    for cells, number in zip(
        table.rows[header_at + 1 :], table.row_numbers[header_at + 1 :], strict=True
    ):
        values = {fld: cells[c] if c < len(cells) else None for c, fld in columns.items()}
        if not parse.text(values.get("status")) and next(
            (normalize_key(parse.text(c)) for c in cells if parse.text(c)), ""
        ).startswith(("tong", "cong")):  # a totals row has no status
            out.notes.append(f"Bỏ qua dòng tổng cộng {number}.")
            continue
        out.rows_read += 1
        row, problems = checker.check(number, values)
        if row is None:
            out.problems.extend(problems)
            out.rejected[number] = list(cells)
        else:
            row["_row"] = number
            out.rows.append(row)
    out.day_only = {f: n for f, n in checker.day_only.items() if n}
    for fld, n in out.day_only.items():
        out.notes.append(
            f"{headers.get(fld, fld)}: {fmt_int(n)} giá trị chỉ có ngày (không có giờ), "
            "được tính theo ngày."
        )
    out.new_procedures = checker.new_procedures
    out.new_fields = checker.new_fields | {
        f for _, f in checker.new_procedures.values() if f not in catalog.fields
    }
    return out
