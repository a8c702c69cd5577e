"""Reporting periods: `2025`, `2025-Q1`, `2025-03`, `2025-03-14`, `A:B`; labels; previous."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["day", "month", "quarter", "year", "range"]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """Whole local days [start, end] and how the period was named."""

    start: dt.date
    end: dt.date
    kind: Kind

    @property
    def days(self) -> int:
        """Length in days."""
        return (self.end - self.start).days + 1

    @property
    def key(self) -> str:
        """Canonical text, the same syntax `parse_period` reads."""
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "day":
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d}:{self.end:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """Vietnamese name: Năm 2025, Quý I/2025, Tháng 3/2025, Ngày 14/03/2025, Từ … đến …."""
        if self.kind == "year":
            return f"Năm {self.start.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[(self.start.month - 1) // 3 + 1]}/{self.start.year}"
        if self.kind == "month":
            return f"Tháng {self.start.month}/{self.start.year}"
        if self.kind == "day":
            return f"Ngày {self.start:%d/%m/%Y}"
        return f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same length just before this one (same month of a month, etc.)."""
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return quarter(self.start.year - (q == 1), 4 if q == 1 else q - 1)
        if self.kind == "month":
            prev = self.start - dt.timedelta(days=1)
            return month(prev.year, prev.month)
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end, self.kind)


def year(y: int) -> Period:
    """The calendar year `y`."""
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def quarter(y: int, q: int) -> Period:
    """Quarter `q` (1–4) of year `y`."""
    if not 1 <= q <= 4:
        raise ValueError(f"quý không hợp lệ (invalid quarter): {q}")
    first = dt.date(y, 3 * q - 2, 1)
    last_month = 3 * q
    return Period(first, dt.date(y, last_month, calendar.monthrange(y, last_month)[1]), "quarter")


def month(y: int, m: int) -> Period:
    """Month `m` of year `y`."""
    return Period(dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), "month")


def parse_period(text: str) -> Period:
    """Read `2025`, `2025-Q1`, `2025-03`, `2025-03-14` or `2025-01-01:2025-02-15`."""
    t = text.strip()
    try:
        if re.fullmatch(r"\d{4}", t):
            return year(int(t))
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", t):
            return quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            return month(int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            day = dt.date.fromisoformat(t)
            return Period(day, day, "day")
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*:\s*(\d{4}-\d{2}-\d{2})", t):
            a, b = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if a > b:
                raise ValueError("ngày bắt đầu sau ngày kết thúc")
            return Period(a, b, "range")
    except ValueError as exc:
        raise ValueError(f"Kỳ báo cáo không hợp lệ (invalid period) «{text}»: {exc}") from exc
    raise ValueError(
        f"Kỳ báo cáo không hợp lệ (invalid period) «{text}»: dùng 2025, 2025-Q1, 2025-03, "
        "2025-03-14 hoặc 2025-01-01:2025-02-15"
    )
