"""The unit page's "Cán bộ và bước xử lý" tab in Chromium: from an officer's overdue count to
each dossier's step timeline, at a laptop's size with nothing cut off."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser


def test_an_overdue_count_opens_the_dossiers_and_their_timelines(dash_duo, demo_app) -> None:
    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/don-vi?ky=2026-Q3&ma=10606")
    dash_duo.wait_for_contains_text("#un-content h1", "Xã Nam Sách", timeout=20)
    dash_duo.driver.find_element("link text", "Cán bộ và bước xử lý").click()
    first = "#un-off-grid .ag-row[row-index='0']"
    dash_duo.wait_for_element(f"{first} [col-id='overdue']", timeout=20)
    # The grid draws a row's cells, then their formatted text: wait for the text itself.
    name = until(lambda: dash_duo.find_element(f"{first} [col-id='name']").text, timeout=20)
    text = until(lambda: dash_duo.find_element(f"{first} [col-id='overdue']").text, timeout=20)
    overdue = int(text.replace(".", ""))
    assert name and overdue > 0  # the demo's slowest officer holds some late dossiers
    # The medians follow the counts (a pass over the period's steps).
    until(
        lambda: dash_duo.find_element(f"{first} [col-id='median_hours']").text not in ("", "…"),
        timeout=20,
    )
    dash_duo.find_element(f"{first} [col-id='overdue']").click()
    dash_duo.wait_for_contains_text(
        "#un-off-detail-title", f"{name}: {overdue} hồ sơ quá hạn", timeout=20
    )
    cards = dash_duo.find_elements(".dossier-timeline")
    assert len(cards) == min(overdue, 200)
    for card in cards:
        held = card.find_elements("css selector", "tr.step-held")
        # The step that held each dossier at the end of its due day is this officer's.
        assert len(held) == 1 and name in held[0].text and "giữ hồ sơ khi quá hạn" in held[0].text
    wide = dash_duo.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, "the page scrolls sideways at 1366 px"
    until(lambda: dash_duo.find_elements("#un-off-chart .js-plotly-plot"), timeout=20)
    # The early warning names who holds the dossiers due, at both screen sizes, nothing cut.
    for size in ((1366, 768), (1920, 1080)):
        dash_duo.driver.set_window_size(*size)
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/canh-bao")
        dash_duo.wait_for_element("#cb-officers tbody tr", timeout=30)
        wide = dash_duo.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0, f"/canh-bao scrolls sideways at {size}"
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
