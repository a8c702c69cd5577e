"""What a row names, found in the catalog: the unit version (by code, else by name, on the
reception day), the procedure (national code, local code or name) and the field."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from dataclasses import dataclass, field

from dashboard.domain.units import RECEIVING_KINDS, UnitRow, Units
from data_access.importer import parse
from data_access.importer.config import Mapping, normalize_key

UNKNOWN_FIELD = "Chưa phân loại"
PREFIX_KINDS = {
    "thi tran": ("town",),
    "tt": ("town",),
    "xa": ("commune",),
    "phuong": ("ward",),
    "dac khu": ("special_zone",),
    "huyen": ("district",),
    "ubnd huyen": ("district",),
    "ubnd xa": ("commune",),
    "ubnd thi tran": ("town",),
    "ubnd phuong": ("ward",),
    "phong": ("department",),
}


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


def _strip_prefixes(key: str, prefixes: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if key.startswith(p + " "):
                key = key[len(p) + 1 :]
                changed = True
    return key


@dataclass
class Matcher:
    """Finds units, procedures and fields, remembering what the file adds to the catalog."""

    catalog: Catalog
    mapping: Mapping
    unit_default: str | None = None
    new_procedures: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> name, field
    new_fields: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for u in self.catalog.units.values():
            key = _strip_prefixes(normalize_key(u.name), self.mapping.unit_prefixes)
            self.catalog.unit_names.setdefault(key, []).append(u)

    # -- units -------------------------------------------------------------------------------
    def unit(self, raw_code: str, raw_name: str, day: dt.date | None) -> int:
        """The unit version a row names (by code, else by name) on its reception day."""
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
                if ended:
                    return self._ended(ended[-1], day)
                first = min(found, key=lambda u: u.valid_from)  # formed after that day
                raise ValueError(
                    f"đơn vị {first.name} chỉ có hiệu lực từ ngày {first.valid_from:%d/%m/%Y}"
                )
            found = valid
        if len(found) > 1:
            # "TT Nam Sách" is the town, "huyện Nam Sách" the district: the prefix decides;
            # without one, a receiving unit wins over the district of the same name.
            raw_key = normalize_key(name)
            kinds = next(
                (k for p, k in PREFIX_KINDS.items() if raw_key.startswith(p + " ")),
                RECEIVING_KINDS,
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
            return self._ended(before[-1], day)
        first = versions[0]
        raise ValueError(
            f"mã {code} ({first.name}) chỉ có hiệu lực từ ngày {first.valid_from:%d/%m/%Y}"
        )

    def _ended(self, u: UnitRow, day: dt.date) -> int:
        after = self.catalog.units.get(u.successor_id) if u.successor_id else None
        merged = f" (đã sáp nhập vào {after.name} ({after.code}))" if after else ""
        raise ValueError(f"đơn vị {u.name} không còn hiệu lực ngày {day:%d/%m/%Y}{merged}")

    # -- procedures and fields ---------------------------------------------------------------
    def procedure(self, raw_code: str, raw_name: str, field_name: str) -> tuple[str, int | None]:
        """The procedure's code and its field id (None: a procedure new to the catalog)."""
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

    def field_name(self, raw: str) -> str:
        """The catalog's spelling of a field, or the file's for a new one ('' for none)."""
        if not raw:
            return ""
        known = self.catalog.field_keys.get(normalize_key(raw))
        if known:
            return known
        self.new_fields.add(raw.strip())
        return raw.strip()
