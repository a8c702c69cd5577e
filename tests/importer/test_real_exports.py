"""Exports shaped like the provincial system's, not like our generator's: title rows and a
totals row, bare dates beside date-times, several date formats in one column, a code that
names two units over time (10621: Thanh Quang, then the merged Quốc Tuấn), and a unit's name
before and after its merger. Every expected figure is worked out by hand below, and checked
as .xlsx and .csv, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import Engine, select

from dashboard.domain.periods import parse_period
from dashboard.services import report
from data_access.importer import import_bytes
from data_access.models import Dossier, Unit

TITLE = [
    ["ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG"],
    ["HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"],
    [],
    ["DANH SÁCH HỒ SƠ TIẾP NHẬN"],
    ["Từ ngày 01/11/2024 đến ngày 31/03/2025"],
    [],
]
HEADER = [
    "STT", "Số hồ sơ", "Mã đơn vị", "Cơ quan tiếp nhận", "Mã TTHC", "Tên TTHC", "Lĩnh vực",
    "Hình thức nộp", "Ngày nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
    "Trạng thái", "Lệ phí", "Thanh toán trực tuyến", "Số hóa hồ sơ", "Kết quả điện tử",
    "Người nộp",
]  # fmt: skip
CT = ("2.000815.000.00.00.H23", "Chứng thực bản sao từ bản chính", "Chứng thực")
KS = ("1.001193.000.00.00.H23", "Đăng ký khai sinh", "Hộ tịch")
D = dt.datetime

# code, unit code, unit name, procedure, channel, submitted, received, due, finished, status,
# fee, paid online, digitized, e-result. Cells are what the export holds: bare dates, times,
# ISO, an Excel serial, "HH:MM dd/mm/yyyy"; in the .xlsx some are real date / date-time cells.
ROWS = [
    # November 2024: 10621 is Thanh Quang; "Quốc Tuấn" is 10624.
    ("HS-TQ-01", "10621", "Xã Thanh Quang", CT, "Trực tiếp", "", "05/11/2024 08:15",
     dt.date(2024, 11, 5), "05/11/2024", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-TQ-02", "10621", "Thanh Quang", KS, "Trực tuyến", "04/11/2024 21:10",
     "05/11/2024 09:00", "06/11/2024", "07/11/2024", "Đã trả kết quả", "", "", "Không",
     "Không"),
    ("HS-QT-01", "", "Quốc Tuấn", CT, "Trực tiếp", "", "20/11/2024 14:00", "20/11/2024",
     "20/11/2024", "Đã trả kết quả", "", "", "Không", "Không"),
    # From 1/12/2024: 10621 and "Quốc Tuấn" are the merged Quốc Tuấn.
    ("HS-QT-10", "10621", "", CT, "Trực tiếp", "", "05/12/2024 08:00", "06/12/2024 17:00",
     "06/12/2024 16:00", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-QT-09", "10621", "Quốc Tuấn", CT, "Trực tiếp", "", "15/01/2025 08:00", "15/01/2025",
     "15/01/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-QT-02", "10621", "Xã Quốc Tuấn", KS, "Trực tuyến", "2025-03-09T20:00:00",
     D(2025, 3, 10, 9, 0), "11/03/2025", "10/03/2025", "Đã trả kết quả", "", "", "Có", "Có"),
    ("HS-QT-03", "10621", "", CT, "Trực tiếp", "", 45727.375, "11/03/2025",
     "11/03/2025 10:30", "Đã trả kết quả", "", "", "Có", "Không"),
    ("HS-QT-04", "10621", "Quốc Tuấn", KS, "Trực tiếp", "", "08:15 13/03/2025", "13/03/2025",
     dt.date(2025, 3, 14), "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-QT-05", "", "Quốc Tuấn", CT, "Trực tiếp", "", "20/03/2025 10:00", "25/03/2025", "",
     "Đang xử lý", "", "", "Không", "Không"),
    ("HS-QT-06", "10621", "", CT, "Trực tiếp", "", "12/03/2025", "14/03/2025", "21/03/2025",
     "Trả lại", "", "", "Không", "Không"),
    ("HS-QT-07", "10621", "", KS, "Trực tuyến", "17/03/2025 10:00", "", "", "17/03/2025",
     "Không được tiếp nhận", "", "", "Không", "Không"),
    ("HS-QT-08", "10621", "", KS, "Trực tiếp", "", "24/03/2025 15:00", "26/03/2025", "",
     "Chờ bổ sung", "", "", "Không", "Không"),
    # Đồng Lạc, named only.
    ("HS-DL-01", "", "Đồng Lạc", KS, "Trực tuyến", "03/03/2025 07:45", "03/03/2025 08:00",
     "04/03/2025", "03/03/2025", "Đã trả kết quả", "20.000", "x", "x", "x"),
]  # fmt: skip


def _cells(row: tuple, as_text: bool) -> list:
    code, unit_code, unit_name, proc, channel, *rest = row
    values = [code, unit_code, unit_name, *proc, channel, *rest, "Nguyễn Văn A"]
    if as_text:  # a CSV holds text only: real date cells become what Excel would show
        values = [
            v.strftime("%d/%m/%Y %H:%M")
            if isinstance(v, dt.datetime)
            else v.strftime("%d/%m/%Y")
            if isinstance(v, dt.date)
            else str(v)
            for v in values
        ]
    return values


def _rows(as_text: bool, rows: list[tuple] = ROWS) -> list[list]:
    out = [list(r) for r in TITLE] + [HEADER]
    out += [[str(i), *_cells(r, as_text)] for i, r in enumerate(rows, start=1)]
    out.append(["Tổng cộng", *[""] * 16, str(len(rows))])
    return out


def export(kind: str, rows: list[tuple] = ROWS) -> bytes:
    """The file as the provincial system gives it: `rows` (as ROWS) under the title rows and
    the header, then the totals row."""
    if kind == "csv":
        import csv

        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(_rows(as_text=True, rows=rows))
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in _rows(as_text=False, rows=rows):
        ws.append(r)
    ws.merge_cells("A1:F1")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _figures(engine: Engine, period: str, unit: str | None = None) -> dict:
    rep = report.compute(engine, parse_period(period), [unit] if unit else None)
    chosen = rep.units[0] if unit else rep.parent
    return {
        "name": chosen.unit.name,
        **{k: (v.numerator, v.denominator) for k, v in chosen.indicators.items()},
    }


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_real_export_imports_in_full_with_hand_counted_figures(
    ref_engine: Engine, kind: str
) -> None:
    rep = import_bytes(ref_engine, export(kind), f"ho-so.{kind}")
    assert rep.problems == [] and rep.status == "committed"
    assert (rep.rows_read, rep.inserted, rep.rejected) == (13, 13, 0)
    assert "Bỏ qua dòng tổng cộng 21." in rep.notes
    # Bare values per column: received HS-QT-06; due all but HS-QT-10 (a time) and HS-QT-07
    # (none); results all but HS-QT-10 / HS-QT-03 (times) and the two still open.
    assert "Ngày tiếp nhận: 1 giá trị chỉ có ngày (không có giờ), được tính theo ngày." in (
        rep.notes
    )
    assert "Ngày hẹn trả: 11 giá trị chỉ có ngày (không có giờ), được tính theo ngày." in (
        rep.notes
    )
    assert "Ngày có kết quả: 9 giá trị chỉ có ngày (không có giờ), được tính theo ngày." in (
        rep.notes
    )

    with ref_engine.connect() as conn:
        landed = {
            code: (unit, name)
            for code, unit, name in conn.execute(
                select(Dossier.code, Unit.code, Unit.name).join(Unit, Unit.id == Dossier.unit_id)
            )
        }
    assert {c for c, (u, n) in landed.items() if (u, n) == ("10621", "Thanh Quang")} == {
        "HS-TQ-01",
        "HS-TQ-02",
    }
    assert landed["HS-QT-01"] == ("10624", "Quốc Tuấn")  # the name, before the merger
    assert landed["HS-QT-05"] == ("10621", "Quốc Tuấn")  # the same name after it
    assert landed["HS-DL-01"] == ("10657", "Đồng Lạc")

    # Quốc Tuấn (10621 from 1/12/2024), Q1/2025, by hand from the rows above:
    # received (accepted, received in Q1): QT-09, 02, 03, 04, 05, 06, 08 = 7, online: QT-02.
    # resolved in Q1: QT-09 (on the due day), 02 (a day early), 03 (on the due day), 04 (a day
    # late) = 4, e-result: QT-02. Returned in Q1: QT-06. Handled: the 7 received.
    # Pending at 31/3: QT-05 (due 25/3, processing: overdue), QT-08 (waiting for the citizen).
    # on_time = 3 resolved in time + 1 returned + 1 pending within due = 5 of 7;
    # overdue = 1 late + 1 pending overdue = 2. Online submitted in Q1: QT-02 (Sunday 20:00,
    # accepted Monday 09:00: 90 working minutes) and QT-07 (refused on its own day, a bare
    # date: the start of the day, before the submission, so zero) = 2 of 2 within 6 hours.
    assert _figures(ref_engine, "2025-Q1", "10621") == {
        "name": "Quốc Tuấn",
        "online_submission": (1, 7),
        "online_payment": (0, 0),
        "dossier_digitization": (2, 7),
        "result_digitization": (1, 4),
        "data_reuse": (0, 7),
        "on_time": (5, 7),
        "overdue": (2, 7),
        "paused": (0, 7),
        "returned": (1, 7),
        "online_reception_6h": (2, 2),
        "publicity": (None, None),
    }
    # Thanh Quang (10621 until 30/11/2024), November 2024: TQ-01 on time (a bare due and result
    # on the reception day), TQ-02 finished 7/11 against 6/11 (late); TQ-02 submitted Monday
    # 21:10, accepted Tuesday 09:00: 90 working minutes.
    thanh_quang = _figures(ref_engine, "2024-11", "10621")
    assert thanh_quang["name"] == "Thanh Quang"
    assert (thanh_quang["on_time"], thanh_quang["overdue"]) == ((1, 2), (1, 2))
    assert (thanh_quang["online_submission"], thanh_quang["online_reception_6h"]) == (
        (1, 2),
        (1, 1),
    )
    old_quoc_tuan = _figures(ref_engine, "2024-11", "10624")
    assert (old_quoc_tuan["name"], old_quoc_tuan["on_time"]) == ("Quốc Tuấn", (1, 1))
    december = _figures(ref_engine, "2024-12", "10621")
    assert (december["name"], december["on_time"]) == ("Quốc Tuấn", (1, 1))
    # The district, Q1/2025: Quốc Tuấn's 7 and Đồng Lạc's 1 received, 2 of them online; fees:
    # Đồng Lạc's (20.000 đ) paid online.
    district = _figures(ref_engine, "2025-Q1")
    assert district["online_submission"] == (2, 8)
    assert district["online_payment"] == (1, 1)
    assert district["online_reception_6h"] == (3, 3)
    assert district["on_time"] == (6, 8)

    again = import_bytes(ref_engine, export(kind), f"ho-so.{kind}")
    assert (again.status, again.inserted, again.updated, again.unchanged) == (
        "committed",
        0,
        0,
        13,
    )


def test_a_merged_units_name_after_its_merger_names_the_successor(ref_engine: Engine) -> None:
    rows = _rows(as_text=True)
    late = [str(len(ROWS) + 1), *_cells(ROWS[1], as_text=True)]
    # STT, code, unit code, unit name, procedure (3), channel, submitted, received, due, result
    late[1], late[2], late[3] = "HS-TQ-99", "", "Thanh Quang"
    late[8:12] = ["05/12/2024 07:00", "05/12/2024 08:00", "06/12/2024", "06/12/2024"]
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows([*rows[:-1], late])
    rep = import_bytes(ref_engine, buf.getvalue().encode(), "x.csv")
    assert rep.status == "refused"
    assert [(p.row, p.column, p.reason) for p in rep.problems] == [
        (
            21,
            "Cơ quan tiếp nhận",
            "đơn vị Thanh Quang không còn hiệu lực ngày 05/12/2024 "
            "(đã sáp nhập vào Quốc Tuấn (10621))",
        )
    ]


def test_a_result_before_the_reception_day_stays_an_error(ref_engine: Engine) -> None:
    rows = _rows(as_text=True)[:-1]
    bad = [str(len(ROWS) + 1), *_cells(ROWS[0], as_text=True)]
    bad[1], bad[9:12] = "HS-X", ["05/11/2024 08:15", "05/11/2024", "04/11/2024"]
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows([*rows, bad])
    rep = import_bytes(ref_engine, buf.getvalue().encode(), "x.csv")
    assert [(p.row, p.column, p.value, p.reason) for p in rep.problems] == [
        (
            21,
            "Ngày có kết quả",
            "04/11/2024",
            "ngày có kết quả trước ngày tiếp nhận (05/11/2024 08:15)",
        )
    ]
    # At the finer precision when both carry a time: 08:00 before 08:15 the same day is wrong.
    bad[11] = "05/11/2024 08:00"
    buf = io.StringIO()
    csv.writer(buf).writerows([*rows, bad])
    rep = import_bytes(ref_engine, buf.getvalue().encode(), "x.csv")
    assert [p.reason for p in rep.problems] == [
        "ngày có kết quả trước ngày tiếp nhận (05/11/2024 08:15)"
    ]
    # A bare result on the reception day is not.
    bad[11] = "05/11/2024"
    buf = io.StringIO()
    csv.writer(buf).writerows([*rows, bad])
    assert import_bytes(ref_engine, buf.getvalue().encode(), "x.csv").status == "committed"
