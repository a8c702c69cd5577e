"""Every table a filtered page offers for download holds the figures the page shows, for views
with a field, a unit and a custom range: the page is drawn by its own callback, its download
links are followed on the same server, and the two are compared cell by cell."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from dash import html

from dashboard.app import create_app
from dashboard.indicators.catalog import BY_KEY
from dashboard.settings import Settings
from dashboard.tabular import display_value


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


def _csv(app, href: str) -> list[dict]:
    res = app.server.test_client().get(href)
    assert res.status_code == 200, (href, res.data[:200])
    return list(csv.DictReader(io.StringIO(res.data.decode("utf-8-sig"))))


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
    name = None
    for c in _walk(content):
        props = getattr(c, "__dict__", {})
        if props.get("data-indicator"):
            key = props["data-indicator"]
            num, den = props["data-numerator"], props["data-denominator"]
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


def test_the_unit_dossier_download_equals_the_list(app) -> None:
    import callbacks.unit

    with app.server.test_request_context("/"):
        content, _query = callbacks.unit.show("2025-Q1", "291-NNMT")
    grid = next(c for c in _walk(content) if type(c).__name__ == "AgGrid")
    table = next(h for h in _links(content) if h.startswith("/xuat/bang/ho-so.csv"))
    rows = _csv(app, table)
    assert sorted(r["Mã hồ sơ"] for r in rows) == sorted(r["code"] for r in grid.rowData)
    assert len(rows) == 102  # the directive's 1 overdue, 76 paused, 25 refused
