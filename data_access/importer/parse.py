"""Cell parsers: dates, booleans, channels, statuses, codes (pure; raise ValueError)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from data_access.importer.config import Mapping, normalize_key

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DMY = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?"
)
_HM_DMY = re.compile(r"(\d{1,2})[:hH](\d{2})(?::(\d{2}))?[ ,]+(\d{1,2})/(\d{1,2})/(\d{4})")
# The national sync format: yyyyMMddHHmmss, yyyyMMddHHmm or yyyyMMdd (a day only).
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")
_NATIONAL_CODE = re.compile(r"^\s*(\d\.\d{6})")


def text(value: Any) -> str:
    """A cell as text: numbers without a spurious .0, None as ''."""
    if value is None or (isinstance(value, float) and value != value):  # None, NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_moment(value: Any) -> tuple[dt.datetime, bool] | None:
    """A date-time and whether it is known to the day only (a bare date: `24/04/2025`, an ISO
    date, a date cell, a whole Excel serial). Accepts dd/mm/yyyy [HH:MM[:SS]],
    HH:MM dd/mm/yyyy, ISO 8601 (time zones converted to Vietnam time), the national sync
    format's yyyyMMddHHmmss / yyyyMMdd (also as a number) and Excel serials."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return (
            value.replace(tzinfo=None)
            if value.tzinfo is None
            else value.astimezone(LOCAL).replace(tzinfo=None)
        ), False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), True
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 10_000_000:  # 20250812: no serial is that big
            return parse_moment(str(int(value)))
        return _serial(float(value)), float(value).is_integer()
    s = str(value).strip()
    if m := _COMPACT.fullmatch(s):
        y, mo, d, hh, mm, ss = m.groups()
        return _moment(y, mo, d, hh, mm, ss), hh is None
    if m := _DMY.fullmatch(s):
        d, mo, y, hh, mm, ss = m.groups()
        return _moment(y, mo, d, hh, mm, ss), hh is None
    if m := _HM_DMY.fullmatch(s):
        hh, mm, ss, d, mo, y = m.groups()
        return _moment(y, mo, d, hh, mm, ss), False
    if re.fullmatch(r"\d{4,5}(\.\d+)?", s):
        return _serial(float(s)), float(s).is_integer()
    try:
        parsed = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("không đọc được ngày giờ (dùng dd/mm/yyyy HH:MM)") from None
    day_only = len(s) <= 10 and ":" not in s
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(LOCAL).replace(tzinfo=None)
    return parsed, day_only


def _moment(y: str, mo: str, d: str, hh: str | None, mm: str | None, ss: str | None) -> dt.datetime:
    try:
        return dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:  # 31/02/2025, 25:00: Python's message is English
        raise ValueError("ngày giờ không có thật (ngày, tháng hoặc giờ ngoài phạm vi)") from None


def parse_datetime(value: Any) -> dt.datetime | None:
    """The date-time of a cell (see parse_moment), bare dates at the start of their day."""
    found = parse_moment(value)
    return found[0] if found else None


def _serial(days: float) -> dt.datetime:
    if not 1 <= days < 2958466:
        raise ValueError("số sê-ri ngày Excel không hợp lệ")
    moment = EXCEL_EPOCH + dt.timedelta(days=days)
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


def parse_bool(value: Any, mapping: Mapping) -> bool:
    """Có/Không, x/blank, 1/0, True/False, Yes/No."""
    if isinstance(value, bool):
        return value
    key = normalize_key(text(value))
    if key in mapping.booleans:
        return mapping.booleans[key]
    raise ValueError("không hiểu giá trị Có/Không")


def parse_count(value: Any) -> int | None:
    """A small count (0–99) such as how often supplements were asked; None when empty."""
    t = text(value)
    if not t:
        return None
    if not t.isdigit() or int(t) > 99:
        raise ValueError("không phải số lần (0–99)")
    return int(t)


def parse_fee(value: Any, mapping: Mapping) -> bool:
    """A fee column: Có/Không, x/blank, or an amount (> 0 means a fee)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value > 0
    s = text(value)
    digits = re.sub(r"[.,\s]|(?i:đ|vnđ|vnd|đồng)$", "", s)
    if digits.isdigit():
        return int(digits) > 0
    return parse_bool(value, mapping)


def parse_channel(value: Any, mapping: Mapping) -> int:
    """1 trực tiếp, 2 trực tuyến, 3 bưu chính (words or numbers)."""
    key = normalize_key(text(value))
    if key in mapping.channels:
        return mapping.channels[key]
    raise ValueError("kênh nộp không hợp lệ (Trực tiếp, Trực tuyến, Bưu chính hoặc 1, 2, 3)")


def parse_status(value: Any, mapping: Mapping) -> str:
    """The canonical status of a status word or national code 1–10."""
    key = normalize_key(text(value))
    if key in mapping.statuses:
        return mapping.statuses[key]
    raise ValueError("trạng thái không có trong danh mục trạng thái")


def national_code(value: Any) -> str | None:
    """1.001193 from '1.001193.000.00.00.H23' (local suffixes dropped), or None."""
    m = _NATIONAL_CODE.match(text(value))
    return m.group(1) if m else None
