"""The small things at 1366×768, measured in Chromium: no grid header cut, every column of the
explanation list on screen, procedure names whole (wrapped, with a tooltip), gauge captions
that never break inside a number, and a count's trend that never goes below zero."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from tests.serving import free_port

pytestmark = pytest.mark.browser

CUT_HEADERS = """
return Array.from(document.querySelectorAll(arguments[0] + ' .ag-header-cell-text'))
  .filter(function (el) { return el.scrollWidth > el.clientWidth + 1 ||
                                 el.scrollHeight > el.clientHeight + 1; })
  .map(function (el) { return el.textContent; });
"""
CUT_CELLS = """
return Array.from(document.querySelectorAll(arguments[0] + ' .ag-row .ag-cell'))
  .filter(function (el) { return el.scrollWidth > el.clientWidth + 1; })
  .map(function (el) { return el.getAttribute('col-id') + ': ' + el.textContent; });
"""
OFF_SCREEN = """
var grid = document.querySelector(arguments[0]).getBoundingClientRect();
return Array.from(document.querySelectorAll(arguments[0] + ' .ag-header-cell'))
  .filter(function (el) { var r = el.getBoundingClientRect();
                          return r.right > Math.min(grid.right, innerWidth) + 1; })
  .map(function (el) { return el.getAttribute('col-id'); });
"""


def test_1366_by_768(dash_duo, demo_app) -> None:
    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 768)
    inner = dash_duo.driver.execute_script("return [innerWidth, innerHeight];")
    dash_duo.driver.set_window_size(2 * 1366 - inner[0], 2 * 768 - inner[1])

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/giai-trinh?ky=2025-Q1")
    dash_duo.wait_for_element(".explain-grid .ag-row", timeout=30)
    assert dash_duo.driver.execute_script(CUT_HEADERS, ".explain-grid") == []
    assert dash_duo.driver.execute_script(OFF_SCREEN, ".explain-grid") == []
    assert dash_duo.driver.execute_script(CUT_CELLS, ".explain-grid") == []
    headers = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.explain-grid .ag-header-cell-text'))"
        ".map(function (e) { return e.textContent; });"
    )
    assert {"Số kỳ liên tiếp", "Hạn khắc phục", "Cập nhật"} <= set(headers)

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/don-vi?ky=2025-Q1&ma=291-NNMT")
    dash_duo.wait_for_element(".unit-dossiers .ag-row", timeout=30)
    cut = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll("
        "'.unit-dossiers .ag-row [col-id=procedure]')).filter(function (el) {"
        " var v = el.querySelector('.ag-cell-value') || el;"
        " return v.scrollWidth > v.clientWidth + 1 || v.scrollHeight > el.clientHeight + 1; })"
        ".length;"
    )
    assert cut == 0
    assert dash_duo.driver.execute_script(CUT_HEADERS, ".unit-dossiers") == []

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q1&don_vi=10657")
    dash_duo.wait_for_element(".gauge-caption", timeout=30)
    broken = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.gauge-caption span'))"
        ".filter(function (s) { return s.getClientRects().length > 1; })"
        ".map(function (s) { return s.textContent; });"
    )
    assert broken == []
    # The trend of a count (Đồng Lạc's paused dossiers: none in these twelve months) starts
    # at zero, not at −1.
    (low, high) = until(
        lambda: dash_duo.driver.execute_script(
            "var el = document.querySelector('[data-trend=paused] .js-plotly-plot');"
            " return el && el._fullLayout ? el._fullLayout.yaxis.range : null;"
        ),
        timeout=20,
    )
    assert low == 0 and high > 0
    assert dash_duo.get_logs() == []
