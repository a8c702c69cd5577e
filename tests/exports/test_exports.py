"""Exports read back with their own libraries: titles, Vietnamese text and the same values the
indicator functions give; CSV formula injection; images of the right size without tofu."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PIL import Image, ImageChops
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine

from dashboard.domain import naming
from dashboard.domain.catalog import BY_KEY
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.exports import charts, letter, pack, views
from dashboard.exports.tables import Column, Table, to_csv, to_xlsx
from dashboard.services import context, report, standing
from dashboard.services.tabular import display_value
from dashboard.settings import Settings

Q1 = parse_period("2025-Q1")
NEWEST = dt.datetime(2025, 6, 30, 16, 59)


@pytest.fixture(scope="module")
def content(
    demo_engine: Engine, demo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> pack.Content:
    settings = Settings(database_url=demo_url, instance_dir=tmp_path_factory.mktemp("pack"))
    with context.standalone(demo_engine, settings):
        return pack.gather(ViewQuery(period=Q1.key))


def test_xlsx_league_has_headers_formats_colours_and_the_engines_values(
    demo_engine: Engine,
) -> None:
    rows = standing.league(demo_engine, Q1, "xa")
    data = to_xlsx([views.league(rows, "xa", Q1.label, NEWEST)])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "Bảng xếp hạng xã, thị trấn"
    assert ws["A2"].value == "Quý I/2025 · dữ liệu đến 16:59 30/06/2025"
    header = [c.value for c in ws[3]]
    assert header[:5] == ["Hạng", "Thay đổi hạng", "Mã đơn vị", "Đơn vị", "Điểm 766 (tỷ lệ)"]
    assert ws.freeze_panes == "A4"
    col = header.index(BY_KEY["online_payment"].name_vi) + 1
    for i, r in enumerate(rows):
        ev = r.report.indicators["online_payment"]
        cell = ws.cell(row=4 + i, column=col)
        assert ws.cell(row=4 + i, column=4).value == r.report.unit.name
        assert ws.cell(row=4 + i, column=1).value == r.ranked.rank
        assert cell.value == pytest.approx(ev.value)
        assert cell.number_format == "0.00%"
        expected_fill = {"dat": "DCEBF7", "khong_dat": "FCE4CC", "khong_co_du_lieu": "EEEEEE"}
        assert cell.fill.fgColor.rgb.endswith(expected_fill[ev.status])


def test_csv_opens_in_excel_and_never_runs_formulas() -> None:
    hostile = ['=HYPERLINK("http://x","bấm")', "+1+1", "-2+3", "@SUM(A1)", "Đồng Lạc"]
    table = Table("t", "s", [Column("name", "Tên đơn vị")], [{"name": v} for v in hostile])
    data = to_csv(table)
    assert data.startswith("\ufeff".encode())
    cells = [row[0] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]
    assert cells == ["Tên đơn vị", *["'" + v for v in hostile[:4]], "Đồng Lạc"]
    # A signed number (a change of rank, a gap) stays a number; anything more is quoted.
    signed = ["-1", "+3", "-1.234", "-3,25 điểm %", "-12,5 %", "-1-1", "-1,5)", "-1 %x"]
    data = to_csv(Table("t", "s", [Column("v", "V")], [{"v": v} for v in signed]))
    cells = [row[0] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))][1:]
    assert cells == [*signed[:5], "'-1-1", "'-1,5)", "'-1 %x"]
    xlsx = openpyxl.load_workbook(io.BytesIO(to_xlsx([table]))).active
    assert [xlsx.cell(row=4 + i, column=1).value for i in range(5)] == [
        *["'" + v for v in hostile[:4]],
        "Đồng Lạc",
    ]


def test_below_target_csv_rows_equal_the_engine(demo_engine: Engine) -> None:
    items = standing.below_target(demo_engine, Q1)
    text = to_csv(views.below_target(items, Q1.label, NEWEST)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) == len(items)
    for row, item in zip(rows, items, strict=True):
        ev = item.indicator
        assert row[:5] == [
            item.unit.code,
            item.unit.name,
            BY_KEY[ev.key].name_vi,
            display_value(ev.key, ev.value),
            display_value(ev.key, ev.target),
        ]


def _pixels(text: str) -> Image.Image:
    fig = {
        "data": [],
        "layout": {
            "annotations": [{"text": text, "showarrow": False, "font": {"size": 200}}],
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "font": {"family": charts.FONT},
        },
    }
    import plotly.graph_objects as go

    return Image.open(io.BytesIO(charts.render(go.Figure(fig), "png", 400, 300))).convert("L")


def test_png_is_full_hd_and_vietnamese_letters_are_drawn_not_tofu(demo_engine: Engine) -> None:
    whole = report.compute(demo_engine, Q1).parent
    fig = charts.indicator_figure(whole.indicators["online_payment"], whole, Q1.label, NEWEST)
    assert Image.open(io.BytesIO(charts.render(fig, "png"))).size == (1920, 1080)
    # A missing glyph is drawn as the same box whatever the letter: distinct letters with
    # different marks must give distinct pictures, and differ from the bare letter.
    e_dot, o_dot, e = _pixels("ệ"), _pixels("ộ"), _pixels("e")
    assert ImageChops.difference(e_dot, o_dot).getbbox() is not None
    assert ImageChops.difference(e_dot, e).getbbox() is not None
    svg = charts.render(fig, "svg").decode()
    assert "Tỷ lệ thanh toán trực tuyến" in svg and "Quý I/2025" in svg


def test_file_names_say_what_they_are() -> None:
    words = naming.filter_words(["Đồng Lạc"], ["Hộ tịch"], ["1.001193"], [2])
    assert words == ["Đồng Lạc", "lĩnh vực Hộ tịch", "thủ tục 1.001193", "kênh trực tuyến"]
    assert (
        naming.file_name("Tỷ lệ thanh toán trực tuyến", words, "Quý I/2025", "png")
        == "ty-le-thanh-toan-truc-tuyen_dong-lac_linh-vuc-ho-tich_thu-tuc-1-001193_"
        "kenh-truc-tuyen_quy-i-2025.png"
    )
    assert naming.subtitle(words[:2], "Quý I/2025", None) == (
        "Đồng Lạc · lĩnh vực Hộ tịch · Quý I/2025 · dữ liệu đến —"
    )


def test_pptx_is_16_9_with_titled_slides_and_engine_values(
    content: pack.Content, demo_engine: Engine
) -> None:
    prs = Presentation(io.BytesIO(pack.to_pptx(content)))
    assert prs.slide_width * 9 == prs.slide_height * 16
    texts = [
        " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in prs.slides
    ]
    assert "Báo cáo cải cách thủ tục hành chính — Huyện Nam Sách" in texts[0]
    assert sum("Tỷ lệ thanh toán trực tuyến — Quý I/2025" in t for t in texts) == 1
    pictures = sum(1 for slide in prs.slides for s in slide.shapes if s.shape_type == 13)
    assert pictures == len(content.charts) == 10  # publicity has no data in the export
    league_slide = next(
        slide
        for slide, t in zip(prs.slides, texts, strict=True)
        if t.startswith("Bảng xếp hạng xã, thị trấn")
    )
    # The assessment comes first, after the title slide, whole: every sentence on some slide.
    assert texts[1].startswith("Nhận xét, đánh giá")
    words = [t for t in texts if t.startswith("Nhận xét, đánh giá")]
    assert texts[1 : 1 + len(words)] == words
    for section in content.assessment:
        for sentence in section.paragraphs:
            assert any(sentence in t for t in words), sentence
    grid = next(s for s in league_slide.shapes if s.has_table).table
    first = standing.league(demo_engine, Q1, "xa")[0].report
    headers = [grid.cell(0, c).text for c in range(len(grid.columns))]
    assert grid.cell(1, headers.index("Đơn vị")).text == first.unit.name
    col = headers.index(BY_KEY["online_payment"].name_vi)
    assert grid.cell(1, col).text == display_value(
        "online_payment", first.indicators["online_payment"].value
    )


def test_pdf_carries_the_same_text(content: pack.Content, demo_engine: Engine) -> None:
    reader = PdfReader(io.BytesIO(pack.to_pdf(content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Bảng xếp hạng xã, thị trấn" in text
    assert "Đơn vị phải giải trình" in text
    first = standing.league(demo_engine, Q1, "phong")[0].report
    assert first.unit.name in text
    # The assessment's pages run from the second page to the first chart, every sentence whole.
    pages = [p.extract_text() for p in reader.pages]
    first_chart = next(i for i, t in enumerate(pages) if t.startswith(content.charts[0][0]))
    words = " ".join(" ".join(pages[1:first_chart]).split())
    assert words.startswith("Nhận xét, đánh giá")
    for section in content.assessment:
        for sentence in section.paragraphs:
            assert " ".join(sentence.split()) in words, sentence
    # Page for page the deck: each page opens with its slide's title.
    planned = pack.slides(content)
    assert len(reader.pages) == len(planned)
    for page, slide in zip(pages[1:], planned[1:], strict=True):
        assert " ".join(page.split()).startswith(" ".join(slide.title.split())), slide.title


def test_letter_follows_the_administrative_layout(demo_engine: Engine) -> None:
    items = standing.below_target(demo_engine, Q1)
    era = report.compute(demo_engine, Q1).era
    data = letter.build(items, era, Q1.label, dt.date(2025, 4, 15), dt.date(2025, 4, 5))
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    body = "\n".join(p.text for p in doc.paragraphs)
    head = "\n".join(cells[:2])
    assert "UBND HUYỆN NAM SÁCH" in head and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head
    assert "Độc lập - Tự do - Hạnh phúc" in head and "Số:" in head
    assert "Nam Sách, ngày 05 tháng 04 năm 2025" in head
    assert "Kính gửi:" in body and "trước ngày 15/04/2025" in body
    for item in items:
        assert item.unit.name in body
    row_texts = {" | ".join(c.text for c in row.cells) for t in doc.tables[1:-1] for row in t.rows}
    item = items[0]
    ev = item.indicator
    assert (
        f"{BY_KEY[ev.key].name_vi} | {display_value(ev.key, ev.value)} | "
        f"{display_value(ev.key, ev.target)}"
    ) in " ".join(row_texts)
    assert "TL. CHỦ TỊCH" in "\n".join(cells) and "Nơi nhận:" in "\n".join(cells)
    assert "VĂN PHÒNG HĐND VÀ UBND HUYỆN" in head and "tỉnh Hải Dương" in body


def test_letter_after_the_reorganization_comes_from_the_city(demo_engine: Engine) -> None:
    q3 = parse_period("2025-Q3")
    items = standing.below_target(demo_engine, q3)
    era = report.compute(demo_engine, q3).era
    data = letter.build(items, era, q3.label, dt.date(2025, 10, 20), dt.date(2025, 10, 10))
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    body = "\n".join(p.text for p in doc.paragraphs)
    head = "\n".join(cells[:2])
    assert "UBND THÀNH PHỐ HẢI PHÒNG" in head and "VĂN PHÒNG UBND THÀNH PHỐ" in head
    assert "Hải Phòng, ngày 10 tháng 10 năm 2025" in head
    assert "thành phố Hải Phòng" in body and "huyện" not in body.lower()
    assert {i.unit.name for i in items} <= {
        "Xã Nam Sách", "Xã Thái Tân", "Xã Trần Phú", "Xã Hợp Tiến", "Xã An Phú"
    }  # fmt: skip
    for item in items:
        assert item.unit.name in body


@pytest.mark.browser  # slow: renders the whole pack in a subprocess
def test_report_command_writes_the_pack_and_the_letter(demo_url: str, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "report", "--period", "2025-Q1",
         "--out", str(tmp_path), "--deadline", "15/04/2025"],
        env={"DATABASE_URL": demo_url, "PATH": "/usr/bin:/bin", "TTHC_INSTANCE_DIR": str(tmp_path)},
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert names == [
        "bao-cao-ket-qua-giai-quyet-tthc_quy-i-2025.docx",
        "bao-cao-tthc-2025-Q1.pdf",
        "bao-cao-tthc-2025-Q1.pptx",
        "bao-cao-tthc-2025-Q1.xlsx",
        "bieu-06-vpcp-kstt_quy-i-2025.xlsx",
        "cong-van-de-nghi-giai-trinh_quy-i-2025.docx",
    ]
    report = Document(str(tmp_path / "bao-cao-ket-qua-giai-quyet-tthc_quy-i-2025.docx"))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "BÁO CÁO\nKết quả giải quyết thủ tục hành chính quý I/2025" in text
    assert "1. Tình hình tiếp nhận, giải quyết hồ sơ" in text
    assert "Trong quý I/2025, Huyện Nam Sách tiếp nhận" in text
    assert "Bộ báo cáo Quý I/2025: 10 biểu đồ" in out.stdout
    sheets = openpyxl.load_workbook(tmp_path / "bao-cao-tthc-2025-Q1.xlsx").sheetnames
    assert sheets == ["Chỉ số", "Xếp hạng xã, thị trấn", "Xếp hạng phòng chuyên môn",
                      "Phải giải trình"]  # fmt: skip
