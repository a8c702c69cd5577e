"""The first screen in real headless Chromium: loads locally, shows the real data, no errors."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from tests.browser.conftest import non_local, requested_urls

pytestmark = pytest.mark.browser


def test_first_screen_shows_real_counts_without_errors(dash_duo, demo_app, demo_engine: Engine):
    dash_duo.start_server(demo_app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/du-lieu")
    # The scope as of the newest data: the five communes' area since 1/7/2025.
    dash_duo.wait_for_text_to_equal("#shell-district", "KHU VỰC NAM SÁCH", timeout=20)
    dash_duo.wait_for_text_to_equal(
        "#shell-data-range", "Dữ liệu: 02/01/2024 – 30/10/2026", timeout=20
    )
    dash_duo.wait_for_element(".freshness-table", timeout=20)

    # Counts per unit, as the database holds them (plain SQL here, not the app's query).
    with demo_engine.connect() as conn:
        expected = dict(
            conn.execute(text("SELECT unit_id, count(*) FROM dossiers GROUP BY unit_id")).all()
        )
    cells = dash_duo.find_elements("td[data-unit]")
    shown = {int(c.get_attribute("data-unit")): c.text for c in cells}
    # 19 communes/towns, 3 formed on 1/12/2024, 8 departments, 5 communes from 1/7/2025
    assert len(shown) == 35
    for unit, n in expected.items():
        assert shown[unit] == f"{n:,}".replace(",", "."), unit

    # Vietnamese collation: Đồng Lạc after Cộng Hòa and before Hiệp Cát.
    names = [row.text for row in dash_duo.find_elements(".freshness-table td:nth-child(2)")]
    assert names.index("Cộng Hòa") < names.index("Đồng Lạc") < names.index("Hiệp Cát")
    # A code used by two units over time shows as two rows, each with its validity.
    rows = [r.text for r in dash_duo.find_elements(".freshness-table tbody tr")]
    assert [r.split()[0] for r in rows].count("10621") == 2
    assert any(r.startswith("10621 Quốc Tuấn 01/12/2024 – 30/06/2025") for r in rows)
    assert any(r.startswith("10621 Thanh Quang 01/01/1997 – 30/11/2024") for r in rows)

    assert dash_duo.get_logs() == []
    urls = requested_urls(dash_duo.driver)
    assert any("00-bootstrap.min.css" in u for u in urls)
    assert non_local(urls) == []
