"""The period choices every filtered page offers: presets relative to the data, and the
named periods (years, quarters, months) it covers. The rest of a view's parameters live in
`dashboard/domain/query.py`."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.periods import Period, month, quarter, year


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
    so ("Tháng này: 10/2026 (dữ liệu đến 30/10)": short enough for the chooser's box)."""
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
    note = f" (dữ liệu đến {today:%d/%m})" if behind else ""
    return [{"label": f"{name}: {_short(p.label)}{note}", "value": p.key} for name, p in presets]


def _short(label: str) -> str:
    """ "Tháng 10/2026" -> "10/2026", "Quý IV/2026" -> "IV/2026", "Năm 2026" -> "2026": the
    preset's name already says month, quarter or year."""
    return label.split(" ", 1)[1] if label.startswith(("Tháng ", "Quý ", "Năm ")) else label
