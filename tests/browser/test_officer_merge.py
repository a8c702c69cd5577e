"""The data page's "Gộp tên cán bộ" in Chromium: two officers of a commune merged, the
unit's officer counts recomputed at once (the merged one is no longer a member of them)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from dashboard.settings import Settings
from dashboard.web.app import create_app
from tests.serving import free_port

pytestmark = pytest.mark.browser


def test_the_office_merges_two_spellings(dash_duo, writable_demo_url: str, tmp_path) -> None:
    engine = create_engine(writable_demo_url)
    with engine.connect() as conn:
        (keep_id, keep), (other_id, other) = conn.execute(
            text(
                "SELECT o.id, o.name FROM officers o JOIN units u ON u.id = o.unit_id "
                "WHERE u.code = '10606' ORDER BY o.name LIMIT 2"
            )
        ).all()
    app = create_app(
        Settings(database_url=writable_demo_url, instance_dir=tmp_path, demo_on_empty=False)
    )
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1366, 3000)  # the form sits below the import lists
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/du-lieu")
    dash_duo.wait_for_element("#data-om-unit", timeout=20)

    def choose(selector: str, label: str) -> None:
        box = dash_duo.find_element(selector)
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        dash_duo.select_dcc_dropdown(selector, label)

    choose("#data-om-unit", "Xã Nam Sách (10606)")
    choose("#data-om-keep", keep)
    choose("#data-om-other", other)
    dash_duo.find_element("#data-om-go").click()
    dash_duo.wait_for_contains_text("#data-om-result", f"Đã gộp «{other}» vào «{keep}»", 20)
    dash_duo.wait_for_contains_text("#data-om-list", f"«{other}» → «{keep}»", 20)
    with engine.connect() as conn:
        alias = conn.execute(
            text("SELECT person_id FROM officer_aliases WHERE officer_id = :o"), {"o": other_id}
        ).scalar()
        left = conn.execute(
            text("SELECT count(*) FROM step_member_daily WHERE dim = 'o' AND member = :m"),
            {"m": str(other_id)},
        ).scalar()
    assert alias == keep_id and left == 0
    assert dash_duo.get_logs() == []
