"""Every file a filtered page offers for download holds the figures the page shows, for views
with a field, a unit and a custom range: the page is drawn by its own callback, every download
link on it is followed on the same server, and the two are compared cell by cell (the .xlsx
number by number against the .csv, the chart by its value and title)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from dash import html
from docx import Document

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_int
from dashboard.services.tabular import display_value
from dashboard.settings import Settings
from dashboard.web.app import create_app


@pytest.fixture(scope="module")
def app(demo_url: str, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("downloads")
    return create_app(
        Settings(database_url=demo_url, instance_dir=Path(folder), demo_on_empty=False)
    )


def _walk(component):
    stack = [component]
    while stack:
        c = stack.pop()
        if isinstance(c, list | tuple):
            stack.extend(c)
            continue
        yield c
        children = getattr(c, "children", None)
        if children is not None and not isinstance(children, str | int | float):
            stack.append(children)


def _links(content) -> list[str]:
    return [c.href for c in _walk(content) if isinstance(c, html.A) and c.href]


def _get(app, href: str) -> bytes:
    res = app.server.test_client().get(href)
    assert res.status_code == 200, (href, res.data[:200])
    return res.data


def _csv(app, href: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_get(app, href).decode("utf-8-sig"))))


def _number(text: str) -> float | None:
    """A cell as the CSV writes it (79,47 % · 1.234 · —) as a number, or None for a word."""
    t = text.strip().replace("\u00a0", " ")
    if t in ("", "—"):
        return None
    percent = t.endswith("%")
    t = t.removesuffix("%").strip().replace(".", "").replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        return None
    return value / 100 if percent else value


def _xlsx_equals_csv(app, csv_href: str) -> None:
    """The .xlsx link beside a .csv link holds the same table: the same headers and rows,
    numbers equal to the shown precision, words equal."""
    rows = _csv(app, csv_href)
    ws = openpyxl.load_workbook(io.BytesIO(_get(app, csv_href.replace(".csv", ".xlsx", 1)))).active
    header = [c.value for c in ws[3]]
    if rows:
        assert header == list(rows[0].keys())
    sheet = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert len(sheet) == len(rows), csv_href
    for want, got in zip(rows, sheet, strict=True):
        for key, text in want.items():
            cell = got[key]
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                shown = _number(text)
                assert shown is not None and abs(shown - cell) < 0.00006, (key, text, cell)
            elif cell is None:  # an empty cell: the CSV writes a dash for "no figure"
                assert text in ("", "—"), (key, text)
            else:
                assert cell in (text, text.lstrip("'")), (key, text, cell)


SLUGS = {"Hộ tịch": "ho-tich", "Chứng thực": "chung-thuc", "Đất đai": "dat-dai"}
VIEWS = [
    ("2025-Q1", [], ["Hộ tịch"]),
    ("2025-Q1", ["10657"], ["Hộ tịch"]),
    ("2025-01-05:2025-02-20", [], ["Chứng thực"]),
    ("2025-Q3", ["10606"], ["Đất đai"]),
]


@pytest.mark.parametrize(("period", "units", "fields"), VIEWS)
def test_the_overview_table_download_equals_the_screen(app, period, units, fields) -> None:
    import callbacks.overview

    with app.server.test_request_context("/"):
        content, _query = callbacks.overview.show(period, units, fields)
    shown = {}
    raw: dict[str, tuple[str, str]] = {}
    name = None
    for c in _walk(content):
        props = getattr(c, "__dict__", {})
        if props.get("data-indicator"):
            key = props["data-indicator"]
            num, den = props["data-numerator"], props["data-denominator"]
            raw[key] = (num, den)
            value = int(num) / int(den) if den not in ("None", "0") else None
            shown[key] = display_value(key, value)
        if props.get("data-count"):
            shown[props["data-count"]] = c.children
        if isinstance(c, html.H1):
            name = c.children.split(" · ")[1]
    table = next(h for h in _links(content) if "/xuat/bang/chi-so.csv" in h)
    assert parse_qs(urlparse(table).query).get("linh_vuc") == fields
    rows = _csv(app, table)
    row = next(r for r in rows if r["Đơn vị"] == name)
    for key, text in shown.items():
        assert row[BY_KEY[key].name_vi] == text, (period, units, fields, key)
    # The filter really applies: without it the file says something else.
    unfiltered = _csv(app, table.split("&linh_vuc")[0])
    assert unfiltered != rows
    _xlsx_equals_csv(app, table)
    # Every chart link draws the shown value, titled with the view's scope and period.
    charts = [h for h in _links(content) if h.startswith("/xuat/bieu-do/")]
    assert {h.split("/")[-1].split("?")[0].split(".")[0] for h in charts} >= {"online_payment"}
    for href in charts:
        key = href.split("/")[-1].split(".")[0]
        assert href.split("?", 1)[1] == table.split("?", 1)[1]  # the same view's query
        if href.split("?")[0].endswith(".svg") and key in ("online_payment", "on_time"):
            res = app.server.test_client().get(href)
            svg = res.data.decode()
            assert name in svg
            # The field filter is named in the picture and in its file name.
            assert f"lĩnh vực {fields[0]}" in re.sub(r"<[^>]+>", "", svg)
            slug = SLUGS[fields[0]]
            assert slug in res.headers["Content-Disposition"], res.headers["Content-Disposition"]
            value = shown[key].replace(" %", "")
            assert value in re.sub(r"<[^>]+>", "", svg), (key, value)
    # Biểu 06 of the whole scope for the view's period and fields: its total received online
    # and in all is the online-submission gauge's numerator and denominator.
    online, received = (int(x) for x in raw["online_submission"])
    form = next(h for h in _links(content) if h.startswith("/xuat/bieu-06.xlsx"))
    assert parse_qs(urlparse(form).query).get("linh_vuc") == fields
    if not units:
        ws = openpyxl.load_workbook(io.BytesIO(_get(app, form)))["Theo lĩnh vực"]
        total = next(r for r in ws.iter_rows(min_row=12, values_only=True) if r[1] == "Tổng cộng")
        assert (total[4], total[4] + total[5]) == (online, received)
    # The report in words speaks of the view's units and fields: the same count received.
    words = next(h for h in _links(content) if h.startswith("/xuat/bao-cao-ket-qua.docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(_get(app, words))).paragraphs)
    assert f"tiếp nhận {fmt_int(received)} hồ sơ" in text, (period, units, fields)
    assert f"(lĩnh vực {fields[0]})" in text


@pytest.mark.parametrize(("period", "fields"), [("2025-Q1", ["Hộ tịch"]), ("2025-Q3", [])])
def test_the_league_download_equals_the_grid(app, period, fields) -> None:
    import callbacks.league

    with app.server.test_request_context("/"):
        content, _query = callbacks.league.show(period, "online_payment", fields, "xa")
    grid = next(c for c in _walk(content) if type(c).__name__ == "AgGrid")
    shown = [(r["rank"], r["unit_name"]) for r in grid.rowData]
    table = next(h for h in _links(content) if h.startswith("/xuat/bang/xep-hang.csv"))
    rows = _csv(app, table)
    assert [
        (int(r["Hạng"]) if r["Hạng"] not in ("", "—") else None, r["Đơn vị"]) for r in rows
    ] == [(rank, unit) for rank, unit in shown]
    by_unit = {r["Đơn vị"]: r for r in rows}
    for r in grid.rowData:
        assert by_unit[r["unit_name"]]["Tỷ lệ thanh toán trực tuyến"] == display_value(
            "online_payment", r["online_payment"]
        )
    _xlsx_equals_csv(app, table)


def test_the_unit_dossier_download_equals_the_list(app) -> None:
    import callbacks.unit

    with app.server.test_request_context("/"):
        content, _query = callbacks.unit.show("2025-Q1", "291-NNMT")
    grid = next(c for c in _walk(content) if type(c).__name__ == "AgGrid")
    table = next(h for h in _links(content) if h.startswith("/xuat/bang/ho-so.csv"))
    rows = _csv(app, table)
    assert sorted(r["Mã hồ sơ"] for r in rows) == sorted(r["code"] for r in grid.rowData)
    assert len(rows) == 102  # the directive's 1 overdue, 76 paused, 25 refused
    _xlsx_equals_csv(app, table)


@pytest.mark.parametrize(
    ("period", "least"), [("2025-Q1", 0), ("2025-Q1", 3), ("2025-02", 3), ("2025-Q1", 2)]
)
def test_the_explanation_downloads_equal_the_list(app, period, least) -> None:
    import zipfile

    import callbacks.explain

    with app.server.test_request_context("/"):
        content, query = callbacks.explain.show(period, least, 0)
    assert ("lien_tiep=1" in query) == (least == 3) and ("so_ky=2" in query) == (least == 2)
    grid = next(c for c in _walk(content) if type(c).__name__ == "AgGrid")
    shown = [(r["unit_name"], r["indicator_name"], r["streak"]) for r in grid.rowData]
    assert shown, "the demo has units below target in this period"
    assert all(streak >= least for _, _, streak in shown)
    # One letter a unit, each addressed to it alone, with its own rows (the zip's files).
    letters = next(h for h in _links(content) if h.startswith("/xuat/cong-van.zip"))
    with zipfile.ZipFile(io.BytesIO(_get(app, letters))) as zf:
        docs = {n: Document(io.BytesIO(zf.read(n))) for n in zf.namelist()}
    units = {u for u, _, _ in shown}
    assert len(docs) == len(units)
    for doc in docs.values():
        text = "\n".join(p.text for p in doc.paragraphs)
        named = [u for u in units if f"{u} (mã " in text]
        assert len(named) == 1 and text.count("Kính gửi:") == 1, text[:300]
        mine = [s for s in shown if s[0] == named[0]]
        rows = doc.tables[1].rows[1:]  # the letter's table: one row per indicator missed
        assert sorted(r.cells[0].text for r in rows) == sorted(i for _, i, _ in mine)
    table = next(h for h in _links(content) if h.startswith("/xuat/bang/giai-trinh.csv"))
    rows = _csv(app, table)
    assert sorted((r["Đơn vị"], r["Chỉ số"], int(r["Số kỳ liên tiếp"])) for r in rows) == sorted(
        shown
    )
    _xlsx_equals_csv(app, table)
    # The letter asks exactly the listed units to explain.
    letter = next(h for h in _links(content) if h.startswith("/xuat/cong-van.docx"))
    doc = Document(io.BytesIO(_get(app, letter)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    for unit in {u for u, _, _ in shown}:
        assert unit in text, unit
    others = {r["unit_name"] for r in _all_below(app, period)} - {u for u, _, _ in shown}
    for unit in others:
        assert unit not in text, unit


def _all_below(app, period: str) -> list[dict]:
    import callbacks.explain

    with app.server.test_request_context("/"):
        content, _query = callbacks.explain.show(period, False, 0)
    return next(c for c in _walk(content) if type(c).__name__ == "AgGrid").rowData


@pytest.mark.parametrize(("units", "fields"), [((), ()), (("10606",), ("Đất đai",))])
def test_the_overview_card_counts_the_warning_lists_dossiers(app, units, fields) -> None:
    """The card reads the early warning's counts alone (cached apart from the list): each of
    its numbers is the number of dossiers of that class on the warning page's list."""
    import callbacks.overview
    from dashboard.domain.query import ViewQuery
    from dashboard.services import warning_view

    with app.server.test_request_context("/"):
        content, _query = callbacks.overview.show("2025-Q3", list(units), list(fields))
        listed = warning_view.warnings(ViewQuery(units=units, fields=fields)).warnings.dossiers
    card = {
        c.__dict__["data-open"]: int(c.children[0].children.replace(".", ""))
        for c in _walk(content)
        if getattr(c, "__dict__", {}).get("data-open")
    }
    by_class = {k: sum(1 for d in listed if d.klass.value == k) for k in card}
    assert set(card) == {"qua_han", "den_han", "sap_den_han"}
    assert card == by_class
    assert sum(card.values()) > 0  # the demo data has open dossiers that need action
