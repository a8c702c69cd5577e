"""`tthc warnings` and `tthc digest` on the crafted March dossiers, read back: the rows, the
per-unit summary, the message to paste and the workbook with a sheet per unit, each against
the classes worked out by hand in tests/indicators/test_warnings_crafted.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from tests.cli_runner import cli_runner
from tests.indicators.test_warnings_crafted import _march

EXPECTED = [  # Đồng Lạc as of Thursday 13/03/2025: (code, class, working days left)
    ("A-qua-han", "qua_han", -1),
    ("H-xong-hom-sau", "qua_han", -1),
    ("B-den-han", "den_han", 0),
    ("C-sap-thu-sau", "sap_den_han", 1),
    ("D-sap-thu-bay", "sap_den_han", 1),
    ("E-sap-thu-hai", "sap_den_han", 2),
    ("I-bo-sung", "cho_cong_dan", -6),
    ("J-tam-dung", "cho_cong_dan", 5),
]


@pytest.fixture
def run(ref_engine: Engine, add, monkeypatch: pytest.MonkeyPatch, capsys):
    _march(add)
    return cli_runner(ref_engine.url.render_as_string(hide_password=False), monkeypatch, capsys)


def test_the_warnings_command(run) -> None:
    code, out, err = run("warnings", "--as-of", "13/03/2025", "--unit", "10657", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert sorted((r["code"], r["class"], r["days_left"]) for r in rows) == sorted(EXPECTED)
    assert {r["unit_name"] for r in rows} == {"Đồng Lạc"}
    a = next(r for r in rows if r["code"] == "A-qua-han")
    assert (a["received_at"], a["due_at"], a["status"]) == (
        "2025-03-10 09:00",
        "2025-03-12",
        "processing",
    )
    assert "sắp đến hạn trong 2 ngày làm việc tới (đến 17/03/2025)" in err
    code, out, _ = run("warnings", "--as-of", "2025-03-13", "--summary", "--format", "csv")
    summary = list(csv.DictReader(io.StringIO(out)))
    assert summary[0]["unit_name"] == "Huyện Nam Sách"  # the scope's totals first
    assert (summary[0]["qua_han"], summary[0]["den_han"]) == ("3", "1")  # P of Nam Tân too
    dong_lac = next(r for r in summary if r["unit_code"] == "10657")
    assert [dong_lac[k] for k in ("qua_han", "den_han", "sap_den_han", "cho_cong_dan")] == [
        "2",
        "1",
        "3",
        "2",
    ]
    code, _, err = run("warnings", "--as-of", "31/02/2025")
    assert code == 2 and "Ngày không hợp lệ" in err
    code, _, err = run("warnings", "--days", "99")
    assert code == 2 and "từ 0 đến 30" in err


def test_the_morning_digest(run, tmp_path: Path) -> None:
    code, out, err = run("digest", "--as-of", "13/03/2025", "--out", str(tmp_path))
    assert code == 0, err
    written = {Path(line).name for line in out.split()}
    assert "2025-03-13-tin-nhan.txt" in written
    assert "2025-03-13-canh-bao-ho-so.xlsx" in written
    text = (tmp_path / "2025-03-13-10657-dong-lac.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    # A digest of a past day never says "today" (issue 24: it did).
    assert lines[0] == (
        "UBND xã Đồng Lạc: 2 hồ sơ quá hạn, 1 hồ sơ đến hạn ngày 13/03/2025, 3 hồ sơ sắp đến hạn "
        "trong 2 ngày làm việc tới (đến 17/03/2025), 2 hồ sơ chờ công dân bổ sung hoặc tạm "
        "dừng (số liệu tính đến hết ngày 13/03/2025)."
    )
    assert lines[1].startswith("- Quá hạn: A-qua-han (") and "trễ 1 ngày làm việc" in lines[1]
    assert "H-xong-hom-sau" in lines[1]
    assert (
        lines[2].startswith("- Đến hạn ngày 13/03/2025: B-den-han (")
        and "hẹn trả 13/03/2025" in lines[2]
    )
    assert lines[3].startswith("- Sắp đến hạn: C-sap-thu-sau (")
    assert "D-sap-thu-bay" in lines[3] and "E-sap-thu-hai" in lines[3]
    # Default targets (100 % on time, no overdue): both indicators at risk this month.
    assert any(
        line.startswith("- Giải quyết trước hạn, đúng hạn tháng 3/2025: có nguy cơ không đạt")
        and "đến nay 75,00 %" in line
        and "nếu để quá hạn 33,33 %" in line
        for line in lines
    )
    everything = (tmp_path / "2025-03-13-tin-nhan.txt").read_text(encoding="utf-8")
    assert text.strip() in everything and "UBND xã Nam Tân: 1 hồ sơ quá hạn" in everything
    book = openpyxl.load_workbook(tmp_path / "2025-03-13-canh-bao-ho-so.xlsx")
    assert book.sheetnames[0] == "Tổng hợp"
    totals = book["Tổng hợp"]
    header = [c.value for c in totals[3]]
    assert header[:6] == [
        "Mã đơn vị",
        "Đơn vị",
        "Quá hạn",
        "Đến hạn hôm nay",
        "Sắp đến hạn",
        "Chờ công dân",
    ]
    dong_lac = next(r for r in totals.iter_rows(min_row=4, values_only=True) if r[0] == "10657")
    assert list(dong_lac[2:6]) == [2, 1, 3, 2]
    sheet = book["Đồng Lạc"]
    assert sheet["A1"].value == "Hồ sơ cần xử lý — Đồng Lạc"
    listed = [(r[1], r[0], r[6]) for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    labels = {"qua_han": "Quá hạn", "den_han": "Đến hạn hôm nay"}
    labels |= {"sap_den_han": "Sắp đến hạn", "cho_cong_dan": "Chờ công dân"}
    assert sorted(listed) == sorted((c, labels[k], n) for c, k, n in EXPECTED)
    # Every unit of the scope on that day has its sheet, ready to send.
    assert len(book.sheetnames) == 1 + len(out.split()) - 2


def test_a_digest_of_old_data_says_so_first(run, tmp_path: Path) -> None:
    """The crafted data end in March 2025: the digest for their newest day warns, on the
    terminal and at the head of every message, that the last working day is missing."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import holidays

    day = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - dt.timedelta(days=1)
    off = holidays.country_holidays("VN", years=range(day.year - 1, day.year + 1))
    while day.weekday() >= 5 or day in off:
        day -= dt.timedelta(days=1)
    code, _out, err = run("digest", "--out", str(tmp_path))
    assert code == 0, err
    missing = f"chưa có dữ liệu ngày {day:%d/%m/%Y} (ngày làm việc gần nhất)"
    assert missing in err
    texts = sorted(tmp_path.glob("*-10657-dong-lac.txt"))
    first = texts[0].read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("LƯU Ý: Dữ liệu mới nhất là ngày ") and missing in first
