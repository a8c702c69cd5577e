"""Unit versions (pure): codes read on a day, and reorganizations folding history forward."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.units import UnitRow, Units
from dashboard.services.report import fold_map

D = dt.date


def _units() -> Units:
    # 1 splits on 1/7/2025 into 3 (which takes its open dossiers) and 4 (marked `~`); 2 and 3
    # merge into 5 on 1/1/2026. Codes are reused: "A" is 1 and then 3.
    rows = [
        UnitRow(1, "A", "Old A", "commune", None, D(2000, 1, 1), D(2025, 6, 30), 0, 3, ()),
        UnitRow(2, "B", "Old B", "commune", None, D(2000, 1, 1), D(2025, 12, 31), 0, 5, ()),
        UnitRow(3, "A", "New A", "commune", None, D(2025, 7, 1), D(2025, 12, 31), 0, 5, (1,)),
        UnitRow(4, "C", "New C", "commune", None, D(2025, 7, 1), None, 0, None, (1,)),
        UnitRow(5, "D", "Merged", "commune", None, D(2026, 1, 1), None, 0, None, (2, 3)),
    ]
    return Units(rows)


def test_a_code_is_read_on_a_day() -> None:
    units = _units()
    assert units.valid_on("A", D(2025, 6, 30)).name == "Old A"
    assert units.valid_on("A", D(2025, 7, 1)).name == "New A"
    assert units.valid_on("A", D(2026, 1, 1)) is None
    assert [u.ref for u in units.versions("A")] == ["A@2000-01-01", "A@2025-07-01"]
    assert units.resolve("A", D(2025, 1, 1), D(2025, 12, 31)).name == "New A"
    assert units.resolve("A@2025-03-01", D(2025, 1, 1), D(2025, 12, 31)).name == "Old A"
    assert units[4].label == "New C (C)"


def test_history_follows_the_carrying_successor_only() -> None:
    units = _units()
    # The merged unit counts both its predecessors and, through New A, Old A; the unit split
    # off without the dossiers (New C) counts none of Old A's.
    assert fold_map(units, [units[5]]) == {5: 5, 2: 5, 3: 5, 1: 5}
    assert fold_map(units, [units[4]]) == {4: 4}
    assert fold_map(units, [units[3], units[4]]) == {3: 3, 4: 4, 1: 3}
    assert units.ancestors(5) == {1, 2, 3}
    assert units.carrier_in(1, D(2025, 7, 1), D(2025, 9, 30)) == 3
    assert units.carrier_in(1, D(2026, 1, 1), D(2026, 3, 31)) == 5
