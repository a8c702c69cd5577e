"""/canh-bao in real headless Chromium: the counts per unit are the CLI's, a unit and a class
from the URL narrow the list to the CLI's rows, nothing is fetched from outside."""

from __future__ import annotations

import json

import pytest
from dash.testing.wait import until

from dashboard import cli
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser


def _cli(demo_url: str, monkeypatch, capsys, *args: str) -> list[dict]:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    assert cli.main(["warnings", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_warning_page_shows_the_clis_counts(
    dash_duo, demo_app, demo_url, monkeypatch, capsys
) -> None:
    summary = _cli(demo_url, monkeypatch, capsys, "--summary")
    thai_tan_late = _cli(demo_url, monkeypatch, capsys, "--unit", "10642")
    thai_tan_late = [r for r in thai_tan_late if r["class"] == "qua_han"]
    assert thai_tan_late, "the demo has overdue open dossiers in Thái Tân on its newest day"

    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/canh-bao")
    dash_duo.wait_for_contains_text("#cb-summary", "Số liệu đến", timeout=30)
    dash_duo.wait_for_contains_text("h1", "Cảnh báo · Khu vực Nam Sách · 30/10/2026")
    shown = {
        td.get_attribute("data-count"): int(td.text.replace(".", ""))
        for td in dash_duo.find_elements("#cb-counts td[data-count]")
    }
    expected = {
        f"{row['unit_code'] or 'scope'}:{k}": row[k]
        for row in summary
        for k in ("qua_han", "den_han", "sap_den_han", "cho_cong_dan")
    }
    assert shown == expected
    # The data ends on 30/10/2026, long before the last working day: the page says so.
    assert "chưa có dữ liệu ngày" in dash_duo.find_element("#cb-stale").text

    # One unit and one class from the URL: the list holds the CLI's rows.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/canh-bao?don_vi=10642&loai=qua_han")
    dash_duo.wait_for_contains_text(
        "#cb-list-title", f"Danh sách hồ sơ ({len(thai_tan_late)})", timeout=30
    )
    codes = until(
        lambda: (
            [
                c.text
                for c in dash_duo.find_elements(
                    ".warn-grid .ag-center-cols-container [col-id=code]"
                )
            ]
            or None
        ),
        timeout=20,
    )
    assert sorted(codes) == sorted(r["code"] for r in thai_tan_late)
    assert dash_duo.driver.current_url.endswith(
        "/canh-bao?don_vi=10642%402025-07-01&ngay=2026-10-30&so_ngay=2&loai=qua_han"
    )
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
