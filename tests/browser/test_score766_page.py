"""The Điểm 766 page in Chromium: the points `tthc score766` prints, a loss's link opens the
items behind it, the average time per procedure, a reused code and a merged unit named as
they were then, nothing overflows at 1366 px and nothing is
fetched from elsewhere."""

from __future__ import annotations

import csv
import re

import pytest
from dash.testing.wait import until

from dashboard import cli
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser


def _cli_rows(demo_url: str, monkeypatch, capsys) -> list[dict[str, str]]:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    capsys.readouterr()
    assert cli.main(["score766", "--period", "2025-Q1", "--unit", "10657", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ma_don_vi,"))
    return list(csv.DictReader(lines[start:]))


def _table(dash_duo) -> list[list[str]]:
    """The component table's cells, row by row, read in one script."""
    return dash_duo.driver.execute_script("""
        return Array.from(document.querySelectorAll('#s7-table tbody tr')).map(function (r) {
            return Array.from(r.cells).map(function (c) { return c.innerText.trim(); }); });
    """)


def _gap_cells(dash_duo) -> list[list[str]]:
    return dash_duo.driver.execute_script("""
        return Array.from(document.querySelectorAll('#s7-gap-table tbody tr')).map(function (r) {
            return Array.from(r.cells).map(function (c) { return c.innerText.trim(); }); });
    """)


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_the_page_shows_the_cli_points_and_opens_a_loss(
    dash_duo, demo_app, demo_url, monkeypatch, capsys
) -> None:
    want = _cli_rows(demo_url, monkeypatch, capsys)
    assert all(r["diem"] for r in want)  # the demo has every source

    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/diem-766?ky=2025-Q1&ma=10657")
    dash_duo.wait_for_contains_text("#s7-content h1", "Đồng Lạc", timeout=30)
    until(lambda: len(_table(dash_duo)) == len(want), timeout=20)
    rows = _table(dash_duo)
    assert [r[1] for r in rows] == [r["thanh_phan"] for r in want]
    for cells, row in zip(rows, want, strict=True):
        assert _number(cells[2]) == pytest.approx(float(row["diem"]), abs=0.005), row
        assert _number(cells[3]) == pytest.approx(float(row["diem_toi_da"])), row
    total = next(float(r["diem"]) for r in want if r["thanh_phan"] == "Tổng")
    headline = dash_duo.find_element("#s7-total").text
    assert re.search(r"[\d,]+/100 điểm", headline)
    assert _number(headline.split("/")[0]) == pytest.approx(total, abs=0.005)

    # The biggest loss: its link names how many items; the list below holds as many.
    link = dash_duo.find_element("#s7-gaps a")
    said = int(re.search(r": (\d[\d.]*) ", link.text).group(1).replace(".", ""))
    link.click()
    dash_duo.wait_for_element("#s7-gap h2", timeout=20)
    title = dash_duo.find_element("#s7-gap h2").text
    assert int(re.search(r": ([\d.]+) mục", title).group(1).replace(".", "")) == said
    listed = len(dash_duo.find_elements("#s7-gap-table tbody tr"))
    assert listed == min(said, 500)
    # The list is in the address: sent to a colleague, it opens on the same list.
    code = re.search(r"(\d\.[\dA-C]) ", title).group(1)  # "Chưa đạt ở 4.1 Số hóa kết quả: …"
    until(lambda: f"tp={code}" in dash_duo.driver.current_url, timeout=10)
    shared = dash_duo.driver.current_url

    # The list's heading is brought into view once drawn (at the top, or as high as the end
    # of the page lets it), not left at the window's bottom edge.
    until(
        lambda: dash_duo.driver.execute_script(
            "var r = document.querySelector('#s7-gap h2').getBoundingClientRect();"
            "var end = document.scrollingElement.scrollTop + window.innerHeight"
            " >= document.scrollingElement.scrollHeight - 1;"
            "return r.top >= 0 && (r.top < 100 || (end && r.bottom < window.innerHeight - 50));"
        ),
        timeout=10,
    )
    # Back up to the choice.
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    until(lambda: dash_duo.driver.execute_script("return window.scrollY") == 0, timeout=10)
    # The average time per procedure: the most resolved first, numbers in Vietnamese.
    dash_duo.select_dcc_dropdown("#s7-component", "Thời gian giải quyết trung bình theo thủ tục")
    dash_duo.wait_for_contains_text("#s7-gap-table thead", "Trung bình (ngày lịch)", timeout=20)
    times = _gap_cells(dash_duo)
    resolved = [int(r[2].replace(".", "")) for r in times]
    assert resolved and resolved == sorted(resolved, reverse=True)
    assert all(re.fullmatch(r"\d+,\d\d", r[4]) for r in times)

    dash_duo.wait_for_page(url=shared)
    dash_duo.wait_for_contains_text("#s7-gap h2", f"Chưa đạt ở {code} ", timeout=30)
    assert len(dash_duo.find_elements("#s7-gap-table tbody tr")) == listed

    # A code reused after 1/7/2025 names its unit of the period (Xã An Phú, not An Phú); a
    # unit merged during the period says where its dossiers count, with a link.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/diem-766?ky=2025-09&ma=10645")
    dash_duo.wait_for_contains_text("#s7-content h1", "Xã An Phú", timeout=30)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/diem-766?ky=2025&ma=10657")
    dash_duo.wait_for_contains_text("#s7-notice", "Xã Nam Sách", timeout=30)
    assert "Đồng Lạc" in dash_duo.find_element("#s7-notice").text
    link = dash_duo.find_element("#s7-notice a")
    assert link.get_attribute("href").endswith("/diem-766?ky=2025&ma=10606%402025-07-01")
    dash_duo.wait_for_contains_text("#s7-how-counted", "01/07/2025", timeout=30)

    # Nothing wider than the window; no script error; nothing fetched from elsewhere.
    width = dash_duo.driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth];"
    )
    assert width[0] <= width[1], width
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
