"""Histories as offices receive them: the national sync example (docs/examples, its counts
worked by hand there), steps-only files given before their dossiers, a workbook with a
history sheet and a "Cán bộ tiếp nhận" column shaped like a real export (title row, bare
dates, a totals row), and a step naming no known dossier."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from data_access.importer import import_bytes
from data_access.step_models import Step
from tests.cli_runner import cli_runner

NATIONAL = Path(__file__).parent.parent / "fixtures" / "national"
HEAD = "ma_don_vi,can_bo,ho_so,qua_han,buoc_tre_han"


@pytest.fixture
def run(ref_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys):
    return cli_runner(ref_engine.url.render_as_string(hide_password=False), monkeypatch, capsys)


def test_the_worked_example_steps_file_first(run) -> None:
    code, out, err = run(
        "import", str(NATIONAL / "capnhat-tiendo.json"), str(NATIONAL / "dongbo-hoso.json")
    )
    assert code == 0, err
    assert "đọc 6 bước của 2 hồ sơ: lịch sử mới 2" in out
    _, august, _ = run("officers", "--period", "2025-08", "--format", "csv")
    assert august.splitlines() == [
        HEAD,
        "10606,Lê Quang Sơn,1,1,1",
        "10606,Nguyễn Văn Hùng,1,0,0",  # "NGUYỄN VĂN HÙNG" is the same officer
        "10606,Trần Thị Mai,1,0,0",
    ]
    _, september, _ = run("officers", "--period", "2025-09", "--format", "csv")
    assert september.splitlines() == [HEAD, "10642,Đỗ Minh Long,1,1,1", "10642,Phạm Thu Hà,1,0,0"]
    code, out, _ = run("import", str(NATIONAL / "capnhat-tiendo.json"))
    assert code == 0 and "lịch sử mới 0, thay thế 0, không đổi 2" in out


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách hồ sơ"
    ws.append(["DANH SÁCH HỒ SƠ THÁNG 9/2025"])
    ws.append([])
    ws.append(["STT", "Mã hồ sơ", "Đơn vị", "Mã TTHC", "Tên thủ tục", "Lĩnh vực", "Kênh nộp",
               "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái",
               "Cán bộ tiếp nhận"])  # fmt: skip
    ws.append([1, "X1", "Xã Nam Sách", "1.001193", "Đăng ký khai sinh", "Hộ tịch", "Trực tiếp",
               "08/09/2025", "10/09/2025", "12/09/2025", "Đã trả kết quả",
               "Vũ Thị Hoa"])  # fmt: skip
    ws.append([2, "X2", "Xã Nam Sách", "1.001193", "Đăng ký khai sinh", "Hộ tịch", "Trực tiếp",
               "08/09/2025 09:00", "20/09/2025", "", "Đang xử lý", "Vũ Thị Hoa"])  # fmt: skip
    ws.append(["Tổng cộng: 2 hồ sơ"])
    steps = wb.create_sheet("Quá trình xử lý")
    steps.append(["Mã hồ sơ", "Người xử lý", "Chức danh", "Nội dung xử lý", "Thời điểm xử lý",
                  "Hạn xử lý của bước"])  # fmt: skip
    # X1: M = 10/09 23:59:59 falls in Lâm's step (08/09 08:30 -> 11/09 15:00, late on its own
    # deadline too); Vũ Thị Hoa received it; X2 has no history here: its reception step
    # comes from "Cán bộ tiếp nhận".
    steps.append(["X1", "Vũ Thị Hoa", "Công chức Một cửa", "Tiếp nhận", "08/09/2025 08:30", ""])
    steps.append(["X1", "Đinh Văn Lâm", "Công chức Tư pháp", "Thẩm định", "11/09/2025 15:00",
                  "09/09/2025 17:00"])  # fmt: skip
    steps.append(["X1", "Đinh Văn Lâm", "", "Trả kết quả", "12/09/2025 08:00", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_with_a_history_sheet(ref_engine: Engine, run) -> None:
    rep = import_bytes(ref_engine, _workbook(), "thang-9.xlsx")
    assert rep.ok, rep.summary()
    assert rep.inserted == 2 and rep.history is not None and rep.history.steps_read == 3
    with ref_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Step)).scalar() == 4
    _, out, _ = run("officers", "--period", "2025-09", "--format", "csv")
    # Lâm: X1 handled, overdue (finished 12/09 after due 10/09), one late step. Hoa: X1 and X2.
    # X2, still open on 30/09 and due 20/09, is overdue; its one step (reception, 08/09)
    # ended before M and none is open: chưa rõ bước.
    assert out.splitlines() == [
        HEAD,
        "10606,Đinh Văn Lâm,1,1,1",
        "10606,Vũ Thị Hoa,2,0,0",
        "10606,,1,1,0",
    ]


def test_a_step_of_an_unknown_dossier_is_reported_with_its_code(ref_engine: Engine) -> None:
    data = {
        "service": "CapNhatTienDoHoSoMC",
        "data": [
            {"MaHoSo": "KHONG-CO-123", "NguoiXuLy": "Ai Đó", "NoiDungXuLy": "Thẩm định",
             "ThoiDiemXuLy": "20250910100000"},
            {"MaHoSo": "KHONG-CO-123", "NguoiXuLy": "", "NoiDungXuLy": "Ký",
             "ThoiDiemXuLy": "2025-13-45"},
        ],
    }  # fmt: skip
    rep = import_bytes(ref_engine, json.dumps(data).encode(), "buoc.json")
    assert not rep.ok and rep.status == "refused"
    text = "\n".join(rep.summary())
    assert "2 bước xử lý có lỗi" in text
    assert "đọc 2 bước của 1 hồ sơ" in text
    assert "Bước thứ 1, cột «Mã hồ sơ», giá trị «KHONG-CO-123»: không có hồ sơ mã này" in text
    assert "Bước thứ 2 (hồ sơ KHONG-CO-123), cột «Người xử lý», giá trị «»: thiếu" in text
    with ref_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Step)).scalar() == 0


def test_officer_csv_is_exactly_the_issue_columns(run) -> None:
    run("import", str(NATIONAL / "dongbo-hoso.json"), str(NATIONAL / "capnhat-tiendo.json"))
    _, out, _ = run("officers", "--period", "2025-Q3", "--by", "officer", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == HEAD.split(",")
    assert {r[0] for r in rows[1:]} == {"10606", "10642"}
