"""The unit page in Chromium: its figures and dossier list agree with the engine."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from sqlalchemy import Engine

from dashboard.domain.periods import parse_period
from dashboard.services import report, standing
from dashboard.services.tabular import display_value
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser


def test_unit_page_lists_the_directives_dossiers(dash_duo, demo_app, demo_engine: Engine) -> None:
    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/don-vi?ky=2025-Q1&ma=291-NNMT")
    dash_duo.wait_for_contains_text("#un-content h1", "Phòng Nông nghiệp và Môi trường", timeout=20)
    # 1 overdue + 76 paused + 25 refused (March 2025 directive), listed one by one.
    dash_duo.wait_for_contains_text("#un-dossiers-title", "(102)", timeout=10)
    rep = report.compute(demo_engine, parse_period("2025-Q1"), ["291-NNMT"]).units[0]
    shown = {
        td.get_attribute("data-indicator"): td.text
        for td in dash_duo.find_elements(".unit-indicators td[data-indicator]")
    }
    assert shown == {k: display_value(k, v.value) for k, v in rep.indicators.items()}
    # The grid draws its first page of 20 rows after the title arrives.
    until(
        lambda: (
            len(dash_duo.find_elements(".unit-dossiers .ag-center-cols-container .ag-row")) == 20
        ),
        timeout=20,
    )
    assert dash_duo.driver.current_url.endswith("/don-vi?ky=2025-Q1&ma=291-NNMT")
    # Its 766 rank among the departments, month by month, as `tthc league` ranks them.
    ranks = until(
        lambda: dash_duo.driver.execute_script(
            "var p = document.querySelector('.unit-rank-trend .js-plotly-plot');"
            " return p && p.data ? p.data[0].y : null;"
        ),
        timeout=20,
    )
    march = standing.league(demo_engine, parse_period("2025-03"), "phong")
    assert ranks[-1] == next(r.ranked.rank for r in march if r.report.unit.code == "291-NNMT")
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
