"""The briefing pack at the city scale (Thành phố Hải Phòng, 114 communes and wards): at most 30
slides whatever the scope, the PDF page for page the deck, long tables cut to what a meeting
acts on with the rest counted, the full tables in the .xlsx."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from dashboard.domain.query import ViewQuery
from dashboard.exports import pack
from dashboard.exports.tables import to_xlsx
from dashboard.services import context
from dashboard.settings import Settings

PERIOD = "2026-Q3"


@pytest.fixture(scope="module")
def city_content(city_url: str, tmp_path_factory: pytest.TempPathFactory) -> pack.Content:
    folder = tmp_path_factory.mktemp("city-pack")
    settings = Settings(database_url=city_url, instance_dir=folder, scope="31")
    engine = create_engine(city_url)
    with context.standalone(engine, settings):
        return pack.gather(ViewQuery(period=PERIOD))


def _city_units(city_url: str) -> int:
    """The city's receiving units on the period's last day, counted from the catalog."""
    with create_engine(city_url).connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM units u JOIN units p ON p.id = u.parent_id "
                "WHERE p.code = '31' AND u.kind IN ('commune','ward','special_zone') "
                "AND u.valid_from <= '2026-09-30' AND (u.valid_to IS NULL OR "
                "u.valid_to >= '2026-09-30')"
            )
        ).scalar_one()


def test_the_city_pack_fits_a_meeting_and_the_pdf_is_the_deck(
    city_content: pack.Content, city_url: str
) -> None:
    units = _city_units(city_url)
    assert units == 114
    prs = Presentation(io.BytesIO(pack.to_pptx(city_content)))
    titles = [
        next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides
    ]
    assert len(titles) <= 30, titles
    assert titles[0].startswith("Báo cáo cải cách thủ tục hành chính — Thành phố Hải Phòng")
    reader = PdfReader(io.BytesIO(pack.to_pdf(city_content)))
    assert len(reader.pages) == len(prs.slides)  # page for page
    for page, title in zip(reader.pages[1:], titles[1:], strict=True):
        head = " ".join(page.extract_text().split())
        assert head.startswith(" ".join(title.split()[:6])), (head[:80], title)
    # The league: its head and its foot, the rest counted; no department league in a city.
    league = [t for t in titles if t.startswith("Bảng xếp hạng")]
    assert len(league) == 2 and "dẫn đầu" in league[0] and "cuối bảng" in league[1]
    # Named for what the city holds: communes, wards and special zones (no town).
    assert all(t.startswith("Bảng xếp hạng xã, phường, đặc khu") for t in league), league
    assert not any("phòng chuyên môn" in t for t in titles)
    notes = "\n".join(
        s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame
    )
    assert f"Bảng đầy đủ ({units + 1} dòng)" in notes  # the indicators: the city and its units
    # The assessment's long lists name ten units and count the rest.
    words = [t for t in notes.split("\n") if "đơn vị khác" in t]
    assert words, "a city's long list is cut"
    # The .xlsx holds every row.
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(city_content.tables)))
    sheet = book[next(n for n in book.sheetnames if n.startswith("Chỉ số"))]
    names = [r[1] for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    assert len(names) == units + 1
