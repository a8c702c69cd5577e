"""Biểu số 06/VPCP/KSTT for March 2025 on crafted dossiers, every cell worked out by hand
(docs/indicators.md, "Biểu 06"): `tthc report --form 06` writes the .xlsx, read back here
with openpyxl, on SQLite and PostgreSQL. The assessment of the same month reads back the same
totals in words."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from dashboard import cli

HO_TICH, CHUNG_THUC = "1.001193", "2.000815"


def _march(add) -> None:
    def d(code: str, received: str | None, **kw) -> dict:
        return {"code": code, "received_at": received, "procedure_code": HO_TICH} | kw

    add(
        "10657",  # Đồng Lạc, Hộ tịch
        [
            # carried over (received in February, open on 1/3), resolved the day before due
            d("A", "2025-02-25 08:00", due_at="2025-03-04 17:00", finished_at="2025-03-03 10:00"),
            # online, resolved on its due day
            d("B", "2025-03-03 08:00", channel=2, submitted_at="2025-03-03 07:00",
              due_at="2025-03-05 17:00", finished_at="2025-03-05 16:00"),
            # in person, resolved two days late
            d("C", "2025-03-10 08:00", due_at="2025-03-12 17:00", finished_at="2025-03-14 09:00"),
            # open on 31/3: past its due day; not yet due; waiting for the citizen (past due,
            # but the clock stopped: not overdue)
            d("D", "2025-03-20 08:00", due_at="2025-03-25 17:00", status="processing"),
            d("E", "2025-03-24 08:00", due_at="2025-04-10 17:00", status="processing"),
            d("F", "2025-03-26 08:00", due_at="2025-03-27 17:00", status="supplement"),
            # returned: finished without a result
            d("G", "2025-03-11 08:00", due_at="2025-03-20 17:00", finished_at="2025-03-12 09:00",
              status="returned"),
            # not counted: never accepted, finished before March, received in April
            d("H", None, status="not_accepted"),
            d("I", "2025-02-10 08:00", due_at="2025-02-20 17:00", finished_at="2025-02-20 09:00"),
            d("J", "2025-04-02 08:00", due_at="2025-04-04 17:00", status="processing"),
        ],
    )  # fmt: skip
    add(
        "10612",  # Nam Tân, Chứng thực
        [
            # online, no due day given: resolved "on time" (column 9), as the rules count it
            d("K", "2025-03-05 08:00", procedure_code=CHUNG_THUC, channel=2,
              submitted_at="2025-03-05 07:30", due_at=None, finished_at="2025-03-06 09:00"),
            # carried over and withdrawn in March
            d("L", "2025-02-27 08:00", procedure_code=CHUNG_THUC, due_at="2025-03-10 17:00",
              finished_at="2025-03-02 09:00", status="withdrawn"),
        ],
    )  # fmt: skip


# (3) received = (4) carried + (5) online + (6) in person; (7) resolved = (8) + (9) + (10);
# (11) pending = (12) + (13); (14) withdrawn or returned.  (3) = (7) + (11) + (14).
HO_TICH_ROW = [7, 1, 1, 5, 3, 1, 1, 1, 3, 2, 1, 1]  # carried A; online B; C D E F G
CHUNG_THUC_ROW = [2, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1]  # carried L; online K
TOTAL = [9, 2, 2, 5, 4, 1, 2, 1, 3, 2, 1, 2]


@pytest.fixture
def run(ref_engine: Engine, add, monkeypatch: pytest.MonkeyPatch, capsys):
    _march(add)
    monkeypatch.setenv("DATABASE_URL", ref_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TTHC_DEMO_ON_EMPTY", "0")

    def _run(*argv: str) -> tuple[int, str]:
        code = cli.main(list(argv))
        return code, capsys.readouterr().out

    return _run


def _numbers(ws, row: int) -> list[int]:
    return [ws.cell(row=row, column=c).value for c in range(3, 15)]


def test_form06_by_field_and_by_unit(run, tmp_path: Path) -> None:
    code, out = run("report", "--form", "06", "--period", "2025-03", "--out", str(tmp_path))
    assert code == 0
    (path,) = tmp_path.glob("*.xlsx")
    assert path.name == "bieu-06-vpcp-kstt_thang-3-2025.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Theo lĩnh vực", "Theo đơn vị"]

    ws = wb["Theo lĩnh vực"]
    assert ws["A1"].value == "UBND HUYỆN NAM SÁCH"
    assert ws["I1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["A3"].value == "Biểu số 06/VPCP/KSTT"
    assert ws["A4"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert ws["A5"].value.startswith("Kỳ báo cáo: Tháng 3/2025 (từ ngày 01/03/2025 đến ngày 31/03")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C8:F8", "G8:M8", "G9:J9", "K9:M9", "D9:F9", "A8:A10", "N8:N10"} <= merged
    assert ws["C8"].value == "Số hồ sơ nhận giải quyết"
    assert [ws.cell(row=10, column=c).value for c in (8, 9, 10, 12, 13)] == [
        "Trả trước hạn",
        "Trả đúng thời hạn",
        "Trả quá hạn",
        "Chưa đến hạn",
        "Quá hạn",
    ]
    assert [ws.cell(row=11, column=c).value for c in range(1, 15)] == [
        f"({i})" for i in range(1, 15)
    ]
    # Fields in Vietnamese order: Chứng thực before Hộ tịch; the total last.
    assert [ws.cell(row=r, column=2).value for r in (12, 13, 14)] == [
        "Chứng thực",
        "Hộ tịch",
        "Tổng cộng",
    ]
    assert _numbers(ws, 12) == CHUNG_THUC_ROW
    assert _numbers(ws, 13) == HO_TICH_ROW
    assert _numbers(ws, 14) == TOTAL
    values = [c.value for row in ws.iter_rows(min_row=15) for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in values and "THỦ TRƯỞNG ĐƠN VỊ" in values

    ws = wb["Theo đơn vị"]
    rows = {
        ws.cell(row=r, column=2).value: _numbers(ws, r)
        for r in range(12, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=3).value, int)
    }
    assert rows["Đồng Lạc"] == HO_TICH_ROW
    assert rows["Nam Tân"] == CHUNG_THUC_ROW
    assert rows["Tổng cộng"] == TOTAL
    assert all(not any(v) for name, v in rows.items() if name not in {"Đồng Lạc", "Nam Tân",
                                                                     "Tổng cộng"})  # fmt: skip
    # Communes and the town first (Vietnamese order), the departments after them.
    names = list(rows)[:-1]
    assert names.index("Đồng Lạc") < names.index("Hiệp Cát")
    assert names[-1].startswith("Phòng") and not names[0].startswith("Phòng")
    # The command prints the rows by field: Hộ tịch's line carries its numbers.
    line = next(x for x in out.splitlines() if x.startswith("Hộ tịch"))
    assert line.split()[2:] == [str(v) for v in HO_TICH_ROW]


def test_form06_with_a_field_filter_and_the_assessment_in_words(run, tmp_path: Path) -> None:
    code, _ = run(
        "report", "--form", "06", "--period", "2025-03", "--out", str(tmp_path),
        "--field", "Ho tich",
    )  # fmt: skip
    assert code == 0
    ws = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))["Theo lĩnh vực"]
    assert [ws.cell(row=r, column=2).value for r in (12, 13)] == ["Hộ tịch", "Tổng cộng"]
    assert _numbers(ws, 13) == HO_TICH_ROW

    code, out = run("assessment", "--period", "2025-03")
    assert code == 0
    # 7 received in March (A and L were carried over), 2 online; February received A, I, L.
    assert (
        "Trong tháng 3/2025, Huyện Nam Sách tiếp nhận 7 hồ sơ, tăng 133,33 % so với tháng "
        "2/2025 (3 hồ sơ); trong đó trực tuyến 2 hồ sơ (28,57 %), trực tiếp và qua bưu chính 5 "
        "hồ sơ. Từ kỳ trước chuyển sang 2 hồ sơ."
    ) in out
    # Resolved A, B, C, K: early or on time A, B, K (3 of 4 = 75,00 %), late C.
    assert (
        "Đã giải quyết 4 hồ sơ, trong đó trước hạn, đúng hạn 3 hồ sơ (75,00 %), quá hạn 1 hồ "
        "sơ; rút, trả lại 2 hồ sơ; đang giải quyết 3 hồ sơ, trong đó 1 hồ sơ đã quá hạn."
    ) in out
    assert "Có 2 hồ sơ quá hạn tại 1 đơn vị: Đồng Lạc (2)." in out  # C late, D open overdue
