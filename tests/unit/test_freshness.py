"""The data page's freshness table: the units receiving today first with their lag, the
units that ended after them (values worked out by hand)."""

from __future__ import annotations

import datetime as dt

from dash import html

from dashboard.domain.records import UnitCount
from layouts.data import STALE_DAYS, freshness_table


def _unit(i: int, name: str, to: dt.date | None, newest: dt.datetime | None) -> UnitCount:
    count = 10 if newest else 0
    return UnitCount(i, str(10600 + i), name, "commune", dt.date(2025, 7, 1), to, count, newest)


def _rows(table) -> list[html.Tr]:
    return [r for r in table.children[1].children if isinstance(r, html.Tr)]


def test_units_receiving_today_come_first_with_their_lag() -> None:
    day = dt.datetime(2026, 10, 30, 16, 57)
    units = [
        _unit(1, "Đồng Lạc", dt.date(2025, 6, 30), dt.datetime(2025, 6, 30, 9, 0)),
        _unit(2, "Xã Trần Phú", None, day),
        _unit(3, "Xã An Phú", None, day - dt.timedelta(days=STALE_DAYS)),
        _unit(4, "Xã Hợp Tiến", None, day - dt.timedelta(days=1)),
        _unit(5, "Xã Mới", None, None),
    ]
    rows = _rows(freshness_table(units))
    names = [r.children[1].children if len(r.children) > 1 else None for r in rows]
    # Today's units in Vietnamese order, then the heading, then the ended unit.
    assert names == ["Xã An Phú", "Xã Hợp Tiến", "Xã Mới", "Xã Trần Phú", None, "Đồng Lạc"]
    lag = {r.children[1].children: r.children[5] for r in rows if len(r.children) > 1}
    assert lag["Xã Trần Phú"].children == "—"
    assert lag["Xã Hợp Tiến"].children == "1 ngày"
    assert "text-danger" not in lag["Xã Hợp Tiến"].className
    assert lag["Xã An Phú"].children == f"{STALE_DAYS} ngày"
    assert "text-danger" in lag["Xã An Phú"].className
    assert lag["Xã Mới"].children == "chưa có hồ sơ"
    assert lag["Đồng Lạc"].children == ""  # an ended unit has nothing left to receive
    assert "Đơn vị đã kết thúc" in rows[4].children.children


def test_reference_units_outside_the_scope_without_dossiers_are_left_out() -> None:
    day = dt.datetime(2026, 10, 30, 16, 57)
    units = [
        _unit(1, "Xã Trần Phú", None, day),
        # a unit of a province's reference list, not watched, with no dossier
        UnitCount(2, "11311", "Phường Hồng Bàng", "ward", dt.date(2025, 7, 1), None, 0, None),
        _unit(3, "Xã Mới", None, None),  # watched, nothing imported yet
    ]
    names = [r.children[1].children for r in _rows(freshness_table(units, watched={1, 3}))]
    assert names == ["Xã Mới", "Xã Trần Phú"]
