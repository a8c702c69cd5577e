"""The filter state every page shares, read from and written to the URL query string.

?ky=2025-Q1&don_vi=10657&don_vi=10612&linh_vuc=Hộ tịch — so a view can be bookmarked,
sent, reloaded, and carried from page to page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from dashboard.indicators.periods import Period, month, parse_period, quarter, year


@dataclass(frozen=True)
class FilterState:
    """Period key, chosen unit codes (empty: the whole district) and field names."""

    period: str
    units: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    def query(self) -> str:
        """The query string (with its leading '?')."""
        pairs = [("ky", self.period)] + [("don_vi", u) for u in self.units]
        pairs += [("linh_vuc", f) for f in self.fields]
        return "?" + urlencode(pairs)


def default_period(newest: dt.date | None) -> str:
    """The month of the newest data (the current month when there is none)."""
    day = newest or dt.date.today()
    return month(day.year, day.month).key


def from_query(search: str | None, newest: dt.date | None) -> FilterState:
    """Read the state from a query string; a bad period falls back to the default."""
    params = parse_qs((search or "").lstrip("?"))
    period = (params.get("ky") or [""])[0]
    try:
        period = parse_period(period).key
    except ValueError:
        period = default_period(newest)
    return FilterState(period, tuple(params.get("don_vi", [])), tuple(params.get("linh_vuc", [])))


def period_options(first: dt.date | None, last: dt.date | None) -> list[dict[str, str]]:
    """Named periods covering the data, newest first: years, quarters, months."""
    if first is None or last is None:
        return []
    options: list[Period] = []
    for y in range(last.year, first.year - 1, -1):
        options.append(year(y))
        for q in range(4, 0, -1):
            p = quarter(y, q)
            if p.start <= last and p.end >= first:
                options.append(p)
        for m in range(12, 0, -1):
            p = month(y, m)
            if p.start <= last and p.end >= first:
                options.append(p)
    return [{"label": p.label, "value": p.key} for p in options]


def preset_options(today: dt.date, newest: dt.date | None = None) -> list[dict[str, str]]:
    """This month, last month, this quarter, last quarter, this year: relative to `today`, or
    to the newest data when today is past it (the export has not come yet), and then they say
    so ("Tháng này (Tháng 10/2026, theo dữ liệu đến 30/10/2026)")."""
    behind = newest is not None and newest < today
    if newest is not None and behind:
        today = newest
    this_month = month(today.year, today.month)
    this_quarter = quarter(today.year, (today.month - 1) // 3 + 1)
    presets = [
        ("Tháng này", this_month),
        ("Tháng trước", this_month.previous()),
        ("Quý này", this_quarter),
        ("Quý trước", this_quarter.previous()),
        ("Năm nay", year(today.year)),
    ]
    note = f", theo dữ liệu đến {today:%d/%m/%Y}" if behind else ""
    return [{"label": f"{name} ({p.label}{note})", "value": p.key} for name, p in presets]
