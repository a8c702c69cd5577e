"""Source files that broke things once (an attacker's pass): out-of-range dates and counts,
a megabyte in a cell, an empty file, totals words inside commune names, an error nobody
foresaw. Each gets a clear report in Vietnamese and writes nothing; none reaches a page."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
from sqlalchemy import Engine

from data_access.importer import import_bytes
from data_access.importer.config import load_mapping
from data_access.importer.sources.common import Checked, Sheet, rows_of
from data_access.score_models import FeedbackItem, ProcedureVersion, SyncCount
from tests.sources import test_catalogue as cat
from tests.sources import test_feedback as fb
from tests.sources import test_satisfaction_sync as ss
from tests.sources.files import count, csv_bytes, imports, make


def _reasons(rep) -> list[tuple[int, str]]:
    return [(p.row, p.reason) for p in rep.problems]


def test_a_catalogue_date_in_year_9999_is_a_row_error(ref_engine: Engine) -> None:
    row = list(cat.ROWS[0])
    row[9] = "31/12/9999"  # Ngày quyết định công bố
    rep = import_bytes(ref_engine, make("xlsx", cat.HEADER, [row], cat.TITLE), "dm.xlsx")
    assert rep.status == "refused"
    assert _reasons(rep) == [(5, "năm 9999 ngoài khoảng 1990–2100")]
    assert count(ref_engine, ProcedureVersion) == 0


def test_counts_past_a_billion_are_row_errors(ref_engine: Engine) -> None:
    rows = [
        ["1", "Trần Phú", "10633", "06/2025", "9223372036854775807"],
        ["2", "Trần Phú", "10633", "07/2025", "9.223.372.036.854.775.808"],
        ["3", "Trần Phú", "10633", "08/2025", "²"],
    ]
    rep = import_bytes(ref_engine, csv_bytes(ss.SYNC_HEADER, rows, "ĐỒNG BỘ"), "db.csv")
    assert rep.status == "refused"
    assert _reasons(rep) == [
        (5, "vượt quá 1.000.000.000"),
        (6, "vượt quá 1.000.000.000"),
        (7, "không phải số nguyên không âm"),
    ]
    # A float past any integer in a workbook cell.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ss.SYNC_HEADER)
    sheet.append([1, "Trần Phú", "10633", "06/2025", 1e308])
    buf = io.BytesIO()
    book.save(buf)
    rep = import_bytes(ref_engine, buf.getvalue(), "db.xlsx")
    assert _reasons(rep) == [(2, "vượt quá 1.000.000.000")]
    assert count(ref_engine, SyncCount) == 0


def test_iso_dates_out_of_range_are_row_errors(ref_engine: Engine) -> None:
    rows = [list(fb.ROWS[0]), list(fb.ROWS[1])]
    rows[0][4] = "0001-01-01T00:00:00+07:00"  # Ngày tiếp nhận: before year 1 in UTC
    rows[1][5] = "9999-12-31T23:59:00-07:00"  # Hạn xử lý: after year 9999 in UTC
    rep = import_bytes(ref_engine, make("csv", fb.HEADER, rows, fb.TITLE), "pakn.csv")
    assert rep.status == "refused"
    assert [r for _, r in _reasons(rep)] == ["ngày ngoài phạm vi", "ngày ngoài phạm vi"]
    assert count(ref_engine, FeedbackItem) == 0


def test_a_long_cell_refuses_its_row_unread(ref_engine: Engine) -> None:
    # Excel's longest cell (32 767 characters; a hand-made file holds a megabyte).
    rows = [["1", "X" * 32767, "10633", "06/2025", "5"], list(ss.SYNCS[1])]
    rep = import_bytes(ref_engine, make("xlsx", ss.SYNC_HEADER, rows, "ĐỒNG BỘ"), "db.xlsx")
    assert rep.status == "refused"
    assert [(p.row, p.column, p.reason) for p in rep.problems] == [
        (5, "Đơn vị", "giá trị dài 32.767 ký tự, vượt 2.000")
    ]
    rows[0][1] = "X" * 1_000_000
    # In a CSV the reader refuses the file whole, in Vietnamese.
    rep = import_bytes(ref_engine, csv_bytes(ss.SYNC_HEADER, rows, "ĐỒNG BỘ"), "db.csv")
    assert rep.error == "Tệp CSV hỏng ở dòng 5: có ô dài quá giới hạn."
    assert count(ref_engine, SyncCount) == 0


def test_a_file_without_data_rows_is_refused(ref_engine: Engine) -> None:
    header_only = csv_bytes(ss.SYNC_HEADER, [], "ĐỒNG BỘ", totals=False)
    totals_only = csv_bytes(ss.SYNC_HEADER, [], "ĐỒNG BỘ")
    for name, data in (("rong.csv", header_only), ("chi-tong.csv", totals_only)):
        rep = import_bytes(ref_engine, data, name)
        assert rep.status == "refused"
        assert rep.error == (
            "Tệp Số hồ sơ đồng bộ lên Cổng DVCQG không có dòng dữ liệu nào (chỉ có tiêu đề hoặc "
            "dòng tổng)."
        )
    assert count(ref_engine, SyncCount) == 0
    assert {kind for kind, status, *_ in imports(ref_engine)} == {"sync"}


def test_only_a_totals_word_alone_skips_a_row() -> None:
    names = ["Tống Trân", "Tổng Cọt", "Cộng Hòa", "Tổng cộng", "TỔNG", "Cộng", "Tổng số"]
    sheet = Sheet("sync", 0, {0: "unit", 1: "synced"}, ["Đơn vị", "Số hồ sơ"], [],
                  [[n, "1"] for n in names], list(range(2, 9)))  # fmt: skip
    checked = Checked(sheet)
    kept = [row.text("unit") for row in rows_of(sheet, checked)]
    assert kept == ["Tống Trân", "Tổng Cọt", "Cộng Hòa"]
    assert checked.notes == [f"Bỏ qua dòng tổng cộng {n}." for n in (5, 6, 7, 8)]


def test_an_error_nobody_foresaw_is_a_refusal_with_its_audit(ref_engine: Engine) -> None:
    broken = dataclasses.replace(load_mapping(), limits={})  # every limit missing: KeyError
    data = make("csv", ss.SYNC_HEADER, ss.SYNCS, "ĐỒNG BỘ")
    rep = import_bytes(ref_engine, data, "db.csv", mapping=broken)
    assert rep.status == "refused"
    assert rep.error.startswith("Không nhập được tệp: gặp lỗi chưa lường trước")
    assert count(ref_engine, SyncCount) == 0
    assert [status for _, status, *_ in imports(ref_engine)] == ["refused"]


def test_a_unit_not_yet_formed_is_said_so(ref_engine: Engine) -> None:
    # Trần Phú was formed on 1/12/2024 (Xã Trần Phú on 1/7/2025): in January 2024 neither was.
    rows = [["1", "Xã Trần Phú", "", "01/2024", "12"]]
    rep = import_bytes(ref_engine, csv_bytes(ss.SYNC_HEADER, rows, "ĐỒNG BỘ"), "db.csv")
    assert _reasons(rep) == [(5, "đơn vị Trần Phú chỉ có hiệu lực từ ngày 01/12/2024")]
