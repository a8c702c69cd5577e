import datetime as dt

import pytest

from dashboard.domain.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "previous"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31), "Năm 2025", "2024"),
        ("2025-Q1", D(2025, 1, 1), D(2025, 3, 31), "Quý I/2025", "2024-Q4"),
        ("2024-q4", D(2024, 10, 1), D(2024, 12, 31), "Quý IV/2024", "2024-Q3"),
        ("2025-03", D(2025, 3, 1), D(2025, 3, 31), "Tháng 3/2025", "2025-02"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024", "2024-01"),
        ("2025-01", D(2025, 1, 1), D(2025, 1, 31), "Tháng 1/2025", "2024-12"),
        ("2025-03-14", D(2025, 3, 14), D(2025, 3, 14), "Ngày 14/03/2025", "2025-03-13"),
        (
            "2025-01-01:2025-02-15",
            D(2025, 1, 1),
            D(2025, 2, 15),
            "Từ 01/01/2025 đến 15/02/2025",
            "2024-11-16:2024-12-31",
        ),
    ],
)
def test_period_syntax(text, start, end, label, previous) -> None:
    p = parse_period(text)
    assert (p.start, p.end, p.label) == (start, end, label)
    assert p.previous().key == previous
    assert parse_period(p.key) == p
    if p.kind in ("day", "range"):
        assert p.previous().days == p.days  # 46 days: 16/11–31/12 before 1/1–15/2


@pytest.mark.parametrize(
    "bad", ["", "2025-Q5", "2025-13", "2025-02-30", "2025-03-01:2025-01-01", "tháng 3", "2025/03"]
)
def test_bad_periods_are_refused_in_vietnamese(bad) -> None:
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        parse_period(bad)


def test_presets_are_relative_to_today() -> None:
    from dashboard.domain.filters import preset_options

    got = preset_options(dt.date(2026, 1, 15))
    assert got == [
        {"label": "Tháng này: 1/2026", "value": "2026-01"},
        {"label": "Tháng trước: 12/2025", "value": "2025-12"},
        {"label": "Quý này: I/2026", "value": "2026-Q1"},
        {"label": "Quý trước: IV/2025", "value": "2025-Q4"},
        {"label": "Năm nay: 2026", "value": "2026"},
    ]
    # Today past the newest data (the export has not come yet): the presets follow the data,
    # and say so, short enough for the box at 1366 px (issue 24: it was cut off).
    got = preset_options(dt.date(2026, 11, 28), newest=dt.date(2026, 10, 30))
    assert got[0] == {"label": "Tháng này: 10/2026 (dữ liệu đến 30/10)", "value": "2026-10"}
    assert got[2]["value"] == "2026-Q4" and got[4]["value"] == "2026"
    assert preset_options(dt.date(2026, 1, 15), newest=dt.date(2026, 1, 15)) == preset_options(
        dt.date(2026, 1, 15)
    )
