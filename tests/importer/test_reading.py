"""Reading exports: headers, words, dates, encodings, and hostile files (no database)."""

from __future__ import annotations

import datetime as dt
import io
import re
import tomllib
import tracemalloc
import zipfile

import pytest

from data_access.importer import parse
from data_access.importer.config import DEFAULT_MAPPING, load_mapping
from data_access.importer.reader import FileRefused, read_table
from data_access.importer.validate import find_header
from tests.importer.files import (
    HEADER,
    cell_row_beyond_its_row,
    csv_bytes,
    falsified_size_zip,
    far_cell_sheet,
    far_cell_spellings,
    many_parts_zip,
    million_empty_rows,
    sparse_far_sheet,
    unplaced_cells_sheet,
    xlsx_bytes,
    zip_bomb,
)

M = load_mapping()
D = dt.datetime


def test_every_header_alias_in_any_case_and_without_diacritics() -> None:
    raw = tomllib.loads(DEFAULT_MAPPING.read_text(encoding="utf-8"))
    for field, aliases in raw["headers"].items():
        for alias in aliases:
            for variant in (alias, alias.upper(), parse.text(alias).lower()):
                assert M.header_field(variant) == field, variant
    assert M.header_field("ma ho so") == "code"
    assert M.header_field("MÃ HỒ SƠ") == "code"
    assert M.header_field("Ngay  tiep nhan") == "received_at"
    assert M.header_field("Người nộp") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/03/2025", D(2025, 3, 5)),
        ("5/3/2025", D(2025, 3, 5)),
        ("05/03/2025 14:30", D(2025, 3, 5, 14, 30)),
        ("05/03/2025 14:30:15", D(2025, 3, 5, 14, 30, 15)),
        ("14:30 05/03/2025", D(2025, 3, 5, 14, 30)),
        ("2025-03-05", D(2025, 3, 5)),
        ("2025-03-05T14:30:00", D(2025, 3, 5, 14, 30)),
        ("2025-03-05T07:30:00Z", D(2025, 3, 5, 14, 30)),  # UTC -> Asia/Ho_Chi_Minh
        ("2025-03-05T14:30:00+07:00", D(2025, 3, 5, 14, 30)),
        (45721, D(2025, 3, 5)),  # Excel serial
        (45721.5, D(2025, 3, 5, 12, 0)),
        ("45721.75", D(2025, 3, 5, 18, 0)),
        (D(2025, 3, 5, 8, 0), D(2025, 3, 5, 8, 0)),
        (dt.date(2025, 3, 5), D(2025, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_date_formats(value, expected) -> None:
    assert parse.parse_datetime(value) == expected


@pytest.mark.parametrize("bad", ["32/01/2025", "05-13-2025", "hôm qua", "2025/13/01"])
def test_bad_dates_are_refused(bad) -> None:
    with pytest.raises(ValueError):
        parse.parse_datetime(bad)


def test_status_words_and_national_codes() -> None:
    expected = {
        "Mới đăng ký": "new",
        "1": "new",
        "Được tiếp nhận": "received",
        "2": "received",
        "Không được tiếp nhận": "not_accepted",
        "3": "not_accepted",
        "Đang xử lý": "processing",
        "Đang giải quyết": "processing",
        "4": "processing",
        "Yêu cầu bổ sung giấy tờ": "supplement",
        "Chờ bổ sung": "supplement",
        "5": "supplement",
        "Yêu cầu thực hiện nghĩa vụ tài chính": "supplement",
        "6": "supplement",
        "Công dân yêu cầu rút hồ sơ": "withdrawn",
        "Rút hồ sơ": "withdrawn",
        "7": "withdrawn",
        "Dừng xử lý": "paused",
        "Tạm dừng": "paused",
        "8": "paused",
        "Đã xử lý xong": "resolved",
        "9": "resolved",
        "Đã trả kết quả": "resolved",
        "10": "resolved",
        "Hoàn thành": "resolved",
        "Trả lại": "returned",
        "Từ chối": "returned",
        "Từ chối giải quyết": "returned",
        "ĐANG XỬ LÝ": "processing",
        "da tra ket qua": "resolved",
    }
    for word, status in expected.items():
        assert parse.parse_status(word, M) == status, word
    assert parse.parse_status(10.0, M) == "resolved"  # a number cell from Excel
    with pytest.raises(ValueError, match="trạng thái"):
        parse.parse_status("Bay màu", M)


def test_channel_boolean_and_fee_words() -> None:
    for word, ch in {
        "Trực tiếp": 1,
        "1": 1,
        "Trực tuyến": 2,
        "2": 2,
        "truc tuyen": 2,
        "Bưu chính": 3,
        "Bưu chính công ích": 3,
        "3": 3,
    }.items():
        assert parse.parse_channel(word, M) == ch, word
    for word, value in {
        "Có": True,
        "x": True,
        "X": True,
        "1": True,
        "True": True,
        "Yes": True,
        "Không": False,
        "": False,
        "0": False,
        "False": False,
        "No": False,
    }.items():
        assert parse.parse_bool(word, M) is value, word
    for cell, value in {
        "50.000": True,
        "50.000 đ": True,
        20000: True,
        0: False,
        "0": False,
        "Có": True,
        "": False,
    }.items():
        assert parse.parse_fee(cell, M) is value, cell
    assert parse.national_code("1.001193.000.00.00.H23") == "1.001193"
    with pytest.raises(ValueError):
        parse.parse_channel("Chim bồ câu", M)


def test_title_rows_merged_cells_and_two_row_headers() -> None:
    header_top = ["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Kênh nộp", "Ngày", "", "Trạng thái"]
    header_low = ["", "", "", "", "Tiếp nhận", "Hẹn trả", ""]
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["UBND HUYỆN NAM SÁCH"])
    ws.merge_cells("A1:G1")
    ws.append(header_top)
    ws.append(header_low)
    ws.merge_cells("E2:F2")  # "Ngày" over two columns
    for c in "ABCDG":
        ws.merge_cells(f"{c}2:{c}3")  # single headers spanning both rows
    ws.append(["HS-1", "10657", "1.001193", "Trực tiếp", "03/03/2025", "04/03/2025", "4"])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "x.xlsx", M.limits)
    at, columns, _ignored = find_header(table, M)
    assert table.row_numbers[at] == 3
    assert set(columns.values()) == {
        "code",
        "unit",
        "procedure_code",
        "channel",
        "received_at",
        "due_at",
        "status",
    }


def _refused(data: bytes, name: str, limits=None) -> str:
    # Refused before the expensive step it guards (unpacking, building the sheet, decoding):
    # the refusal allocates a small multiple of the file (a CSV is decoded to text), never what
    # the file would unpack to, whatever the machine's speed.
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused) as err:
            read_table(data, name, limits or M.limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(data) + 32 * 1024 * 1024, f"{peak:,} bytes allocated to refuse it"
    return str(err.value)


def test_hostile_files_are_refused_quickly_with_a_clear_message() -> None:
    assert "không phải bảng tính Excel" in _refused(csv_bytes([]), "hoso.xlsx")
    assert "Excel 97-2003" in _refused(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "hoso.xlsx")
    assert "nghi là tệp nén độc hại" in _refused(zip_bomb(), "bomb.xlsx")
    assert "1.000.005 dòng" in _refused(million_empty_rows(), "trong.xlsx")
    assert "Chỉ nhận tệp .xlsx, .csv hoặc .json" in _refused(b"%PDF-1.4 ...", "hoso.pdf")
    assert "dữ liệu nhị phân" in _refused(b"\x00\x01\x02abc" * 100, "hoso.csv")
    small = dict(M.limits, max_file_mb=1)
    assert "vượt giới hạn 1 MB" in _refused(b"a" * (2 * 1024 * 1024), "lon.csv", small)
    assert _refused(b"   \n ", "rong.csv") == "Tệp rỗng."


def test_sheets_are_sized_by_their_cells_before_calamine_builds_them() -> None:
    # Each of these aborted the whole process in calamine (a 200 GB block): refused here, in
    # this very process, by the cells the sheet holds, naming the stray cell to delete.
    sparse = _refused(sparse_far_sheet(), "thua.xlsx")
    assert "ô XFD400000, rất xa vùng dữ liệu" in sparse
    assert "A1:XFD400000 (6.553.600.000 ô; giới hạn 15.000.000 ô)" in sparse
    assert "xóa ô XFD400000" in sparse
    far = _refused(far_cell_sheet(), "le.xlsx")  # no dimension declared at all
    assert "ô XFD1048576, rất xa vùng dữ liệu" in far and "17.179.869.184 ô" in far
    # A cell whose reference says another row than the row it sits in counts where it says.
    assert "ô ZZ900000" in _refused(cell_row_beyond_its_row(), "sai.xlsx")
    # A sheet that unpacks to other bytes than its zip directory declares.
    damaged = _refused(falsified_size_zip(), "sua.xlsx")
    assert "không khớp với kích thước và mã kiểm tra" in damaged
    assert "xl/worksheets/sheet1.xml" in damaged
    for spelling, data in far_cell_spellings().items():  # as XML allows, not as Excel writes
        assert "ô XFD1048576, rất xa vùng dữ liệu" in _refused(data, "le.xlsx"), spelling
    unplaced = _refused(unplaced_cells_sheet(), "khong-vi-tri.xlsx")
    assert "không ghi vị trí (tới 16.384 ô liền nhau trên một dòng" in unplaced
    crowded = many_parts_zip()
    parts = len(zipfile.ZipFile(io.BytesIO(crowded)).namelist())  # 6 000 beside the workbook's
    said = f"{parts:,}".replace(",", ".") + " phần, quá nhiều"
    assert said in _refused(crowded, "nhieu.xlsx")


def test_a_wide_honest_sheet_is_read_whole() -> None:
    # 40 columns (to AN) and a value in the last column of the last row: within the limits.
    header = HEADER + [f"Cột {i}" for i in range(len(HEADER), 40)]
    rows = [[str(i), f"HS-{i}"] + [""] * 37 + ["cuối"] for i in range(1, 301)]
    table = read_table(xlsx_bytes(rows, header=header), "rong.xlsx", M.limits)
    assert table.cells.shape == (304, 40)  # 2 title rows, header, 300 rows, totals
    assert table.rows[-2][39] == "cuối"


def test_ten_megabytes_of_junk_in_one_cell() -> None:
    junk = "Z" * (10 * 1024 * 1024)
    data = csv_bytes([["1", "HS-1", "10657", "1.001193", "", "", "Trực tiếp", "", junk]])
    message = _refused(data, "junk.csv")
    assert re.fullmatch(r"Tệp CSV hỏng ở dòng \d+: có ô dài quá giới hạn\.", message)


def test_windows_1258_csv_is_converted_and_said() -> None:
    data = csv_bytes([["1", "HS-1", "Đồng Lạc"]], encoding="cp1258")
    table = read_table(data, "cp.csv", M.limits)
    assert table.rows[-1][2] == "Đồng Lạc"
    assert any("Windows-1258" in n for n in table.notes)


def test_excel_unicode_text_utf16_with_tabs_is_read_and_said() -> None:
    text = "\ufeffMã hồ sơ\tĐơn vị\tTrạng thái\r\nHS-1\tĐồng Lạc\tĐang xử lý\r\n"
    table = read_table(text.encode("utf-16-le"), "unicode.csv", M.limits)
    assert table.rows[-1] == ["HS-1", "Đồng Lạc", "Đang xử lý"]
    assert any("UTF-16" in n for n in table.notes)


def test_csv_with_semicolons_and_bom() -> None:
    text = "\ufeffMã hồ sơ;Đơn vị;Trạng thái\r\nHS-1;10657;Đang xử lý\r\n"
    table = read_table(text.encode("utf-8"), "a.csv", M.limits)
    assert table.rows == [["Mã hồ sơ", "Đơn vị", "Trạng thái"], ["HS-1", "10657", "Đang xử lý"]]
    assert table.row_numbers == [1, 2]


def test_xlsx_rows_keep_excel_numbers_and_skip_totals() -> None:
    data = xlsx_bytes([["1", "HS-1"], ["2", "HS-2"]])
    table = read_table(data, "a.xlsx", M.limits)
    assert table.row_numbers[table.rows.index(HEADER)] == 4  # after title, subtitle, empty row
    assert table.rows[-1][0] == "Tổng cộng"


def test_users_extend_the_vocabulary_without_code(tmp_path) -> None:
    extra = tmp_path / "them.toml"
    extra.write_text(
        '[headers]\ncode = ["Số phiếu"]\n[statuses]\nresolved = ["Xong rồi"]\n'
        '[channels]\n2 = ["Zalo"]\n',
        encoding="utf-8",
    )
    mapping = load_mapping(str(extra))
    assert mapping.header_field("SỐ PHIẾU") == "code"
    assert mapping.header_field("Mã hồ sơ") == "code"  # the defaults stay
    assert parse.parse_status("xong roi", mapping) == "resolved"
    assert parse.parse_channel("Zalo", mapping) == 2
    with pytest.raises(ValueError):
        parse.parse_status("Xong rồi", M)  # not in the default vocabulary
