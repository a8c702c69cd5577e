"""The league page in Chromium: its order is the `tthc league` order; the URL keeps the view."""

from __future__ import annotations

import json

import pytest
from dash.testing.wait import until

from dashboard import cli
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser


def _cli_order(demo_url: str, monkeypatch, capsys, *args: str) -> list[str]:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    assert cli.main(["league", "--period", "2025-Q1", "--format", "json", *args]) == 0
    return [r["unit_code"] for r in json.loads(capsys.readouterr().out)]


def _grid_order(dash_duo) -> list[str]:
    """Unit codes in row order, read in one script (the grid re-renders under us)."""
    return dash_duo.driver.execute_script("""
        var rows = document.querySelectorAll(
            '.league-grid .ag-pinned-left-cols-container .ag-row');
        return Array.from(rows)
            .sort(function (a, b) {
                return a.getAttribute('row-index') - b.getAttribute('row-index'); })
            .map(function (r) { return r.querySelector('[col-id=unit_code]').innerText; });
    """)


def test_league_order_equals_the_cli(dash_duo, demo_app, demo_url, monkeypatch, capsys) -> None:
    communes = _cli_order(demo_url, monkeypatch, capsys)
    by_payment = _cli_order(demo_url, monkeypatch, capsys, "--by", "online_payment")
    departments = _cli_order(
        demo_url, monkeypatch, capsys, "--group", "phong", "--by", "online_payment"
    )

    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/xep-hang?ky=2025-Q1")
    dash_duo.wait_for_element(".league-grid .ag-row", timeout=20)
    until(lambda: _grid_order(dash_duo) == communes, timeout=20)

    dash_duo.select_dcc_dropdown("#lg-by", "Tỷ lệ thanh toán trực tuyến")
    until(lambda: _grid_order(dash_duo) == by_payment, timeout=20)
    assert dash_duo.driver.current_url.endswith("?ky=2025-Q1&theo=online_payment&nhom=xa")

    dash_duo.find_element("#lg-group .nav-link:not(.active)").click()
    until(lambda: _grid_order(dash_duo) == departments, timeout=20)
    url = dash_duo.driver.current_url
    assert url.endswith("nhom=phong")
    dash_duo.wait_for_page(url=url)  # reload: the same tab and ranking
    dash_duo.wait_for_element(".league-grid .ag-row", timeout=20)
    until(lambda: len(_grid_order(dash_duo)) == 8, timeout=20)
    # A click on a unit's name opens its page for the same period.
    dash_duo.find_element(".league-grid .ag-row[row-index='0'] [col-id=unit_name]").click()
    dash_duo.wait_for_contains_text(
        "#un-content h1", f"({departments[0]}) · Quý I/2025", timeout=20
    )
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
