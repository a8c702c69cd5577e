"""The download routes of the running app: right files for good requests, a 400 with the
reason in Vietnamese for bad ones (never a 500)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from dashboard.domain.periods import parse_period
from dashboard.services import standing
from dashboard.settings import Settings
from dashboard.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    settings = Settings(
        database_url=demo_url, instance_dir=tmp_path_factory.mktemp("dl"), demo_on_empty=False
    )
    return create_app(settings).server.test_client()


def test_league_xlsx_download_matches_the_engine(client: FlaskClient, demo_engine: Engine) -> None:
    res = client.get("/xuat/bang/xep-hang.xlsx?ky=2025-Q1&nhom=phong")
    assert res.status_code == 200
    assert res.headers["Content-Disposition"].endswith(
        'filename="bang-xep-hang-phong-chuyen-mon_huyen-nam-sach_quy-i-2025.xlsx"'
    )
    ws = openpyxl.load_workbook(io.BytesIO(res.data)).active
    names = [ws.cell(row=r, column=4).value for r in range(4, ws.max_row + 1)]
    league = standing.league(demo_engine, parse_period("2025-Q1"), "phong")
    assert names == [r.report.unit.name for r in league]


def test_unit_dossier_csv_and_chart_svg(client: FlaskClient) -> None:
    res = client.get("/xuat/bang/ho-so.csv?ky=2025-Q1&ma=291-NNMT")
    assert res.status_code == 200 and res.data.startswith("\ufeff".encode())
    assert len(res.data.decode("utf-8-sig").strip().splitlines()) == 1 + 102  # directive's
    svg = client.get("/xuat/bieu-do/online_payment.svg?ky=2025-Q1&don_vi=10657")
    assert svg.status_code == 200 and "Đồng Lạc · Quý I/2025" in svg.data.decode()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/xuat/bieu-do/khong-co.png?ky=2025-Q1", "Không có biểu đồ này"),
        ("/xuat/bieu-do/online_payment.gif", "Không có biểu đồ này"),
        ("/xuat/bang/xep-hang.pdf?ky=2025-Q1", "Định dạng bảng phải là xlsx hoặc csv"),
        ("/xuat/bang/xep-hang.xlsx?nhom=huyen", "nhóm «huyen» (xa, phong)"),
        ("/xuat/bang/xep-hang.csv?ky=2025-Q5", "kỳ «2025-Q5»"),
        ("/xuat/bang/chi-so.csv?ky=2025-Q1&kenh=9", "kênh «9» (1, 2, 3)"),
        ("/xuat/bang/xep-hang.csv?ky=2025-Q1&theo=diem", "chỉ số xếp hạng «diem»"),
        ("/xuat/bang/chi-so.csv?ky=2025-Q1&linh_vuc=Không có", "Không có lĩnh vực"),
        ("/xuat/bang/ho-so.xlsx?ky=2025-Q1&ma=%27%20OR%201=1--", "Không có đơn vị mã"),
        ("/xuat/bang/gi-do.csv", "Không có bảng"),
        ("/xuat/cong-van.docx?ky=2025-Q1&han=31-02-2025", "dd/mm/yyyy"),
    ],
)
def test_bad_requests_get_a_400_in_vietnamese(client: FlaskClient, url: str, reason: str) -> None:
    res = client.get(url)
    assert res.status_code == 400
    assert reason in res.data.decode()


def test_no_period_is_the_newest_month_but_a_bad_one_is_refused(client: FlaskClient) -> None:
    # A page opens on the newest month whatever its URL says; a file must be the view asked
    # for, so a period it cannot read is refused rather than replaced.
    newest = client.get("/xuat/bang/chi-so.csv")
    assert newest.status_code == 200
    assert "thang-10-2026.csv" in newest.headers["Content-Disposition"]  # the demo's newest
    assert client.get("/xuat/bang/chi-so.csv?ky=2025-Q9").status_code == 400


def test_letter_download(client: FlaskClient, tmp_path: Path) -> None:
    res = client.get("/xuat/cong-van.docx?ky=2025-Q1&han=15/04/2025")
    assert res.status_code == 200
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(res.data)).paragraphs)
    assert "trước ngày 15/04/2025" in body
