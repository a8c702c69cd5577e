import datetime as dt

from dashboard.domain.formatting import (
    DASH,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_number,
    fmt_percent,
    fold,
    vn_sort_key,
)


def test_percent_uses_comma_and_space() -> None:
    assert fmt_percent(0.87034) == "87,03 %"
    assert fmt_percent(1.0) == "100,00 %"
    assert fmt_percent(0.5, digits=0) == "50 %"
    assert fmt_percent(None) == DASH


def test_numbers_group_thousands_with_dots() -> None:
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_int(0) == "0"
    assert fmt_number(1234.5) == "1.234,50"
    assert fmt_number(41.3, 1) == "41,3"
    assert fmt_int(None) == DASH


def test_dates_are_day_month_year() -> None:
    assert fmt_date(dt.date(2025, 3, 31)) == "31/03/2025"
    assert fmt_date(dt.datetime(2025, 1, 2, 8, 5)) == "02/01/2025"
    assert fmt_datetime(dt.datetime(2025, 1, 2, 8, 5)) == "08:05 02/01/2025"
    assert fmt_date(None) == DASH


def test_vietnamese_collation_puts_d_stroke_after_d() -> None:
    names = ["Đồng Lạc", "Duy Tân", "Đa Lộc", "Dương Quang", "Cộng Hòa", "Ân Thi", "An Sơn", "Ăn"]
    assert sorted(names, key=vn_sort_key) == [
        "An Sơn",
        "Ăn",
        "Ân Thi",
        "Cộng Hòa",
        "Duy Tân",
        "Dương Quang",
        "Đa Lộc",
        "Đồng Lạc",
    ]


def test_collation_vowel_letters_and_tones() -> None:
    # o < ô < ơ as letters; tones only break ties (ngang, huyền, hỏi, ngã, sắc, nặng).
    assert sorted(["Hợp", "Hồng", "Hoa"], key=vn_sort_key) == ["Hoa", "Hồng", "Hợp"]
    assert sorted(["má", "mạ", "mà", "ma", "mả", "mã"], key=vn_sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    # A space sorts before any letter, so a shorter word comes first.
    assert sorted(["Nama", "Nam Hưng"], key=vn_sort_key) == ["Nam Hưng", "Nama"]


def test_fold_removes_diacritics_for_search() -> None:
    assert fold("Đồng Lạc") == "dong lac"
    assert fold("  Thị trấn   NAM SÁCH ") == "thi tran nam sach"
    assert fold("Hoà") == fold("Hòa") == "hoa"


def test_a_typed_day_reads_as_offices_write_it_or_is_refused_by_name() -> None:
    import datetime as dt

    import pytest

    from dashboard.domain.formatting import parse_day

    assert parse_day("15/07/2025") == dt.date(2025, 7, 15)
    assert parse_day(" 5/7/2025 ") == dt.date(2025, 7, 5)
    assert parse_day("05-07-2025") == dt.date(2025, 7, 5)
    assert parse_day("") is None and parse_day(None) is None
    for bad in ("31/02/2025", "2025-07-15", "15/7/25", "mười lăm"):
        with pytest.raises(ValueError, match=f"Hạn: «{bad}» không phải một ngày"):
            parse_day(bad, "Hạn")
