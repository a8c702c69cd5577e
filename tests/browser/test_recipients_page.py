"""Người nhận thư in real Chromium: add an address for a unit and one for leadership, see them
listed, remove one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import recipients
from data_access.db import make_engine
from tests.serving import free_port

pytestmark = pytest.mark.browser


def test_add_and_remove_recipients(dash_duo, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mail.sqlite3'}"
    app = create_app(Settings(database_url=url, instance_dir=tmp_path, demo_on_empty=False))
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/nguoi-nhan")
    dash_duo.wait_for_contains_text("#rc-list", "Chưa có người nhận thư nào.", timeout=20)
    assert "Chưa cấu hình máy chủ thư" in dash_duo.find_element("#rc-server").text

    dash_duo.find_element("#rc-email").send_keys("van.thu.namsach@namsach.gov.vn")
    dash_duo.select_dcc_dropdown("#rc-unit", "Xã Nam Sách (10606)")
    dash_duo.find_element("#rc-add").click()
    dash_duo.wait_for_contains_text(
        "#rc-message", "nhận thư của Đơn vị Xã Nam Sách (10606)", timeout=10
    )
    dash_duo.wait_for_contains_text(".recipients-table", "van.thu.namsach@namsach.gov.vn")

    email = dash_duo.find_element("#rc-email")
    email.clear()
    email.send_keys("chu.tich@namsach.gov.vn")
    dash_duo.driver.find_element("xpath", "//label[contains(., 'Lãnh đạo (báo cáo ngày)')]").click()
    dash_duo.find_element("#rc-add").click()
    dash_duo.wait_for_contains_text("#rc-message", "nhận thư của Lãnh đạo", timeout=10)
    dash_duo.wait_for_contains_text(".recipients-table", "chu.tich@namsach.gov.vn")

    row = dash_duo.find_element(".recipients-table tbody tr:nth-child(1)")  # roles come first
    assert "chu.tich@namsach.gov.vn" in row.text
    row.find_element("css selector", "button").click()
    dash_duo.wait_for_contains_text("#rc-message", "Đã bỏ chu.tich@namsach.gov.vn", timeout=10)
    engine = make_engine(url)
    with engine.connect() as conn:
        listed = [(r.email, r.unit_code, r.role) for r in recipients.all_recipients(conn)]
    assert listed == [("van.thu.namsach@namsach.gov.vn", "10606", "")]
    assert "chu.tich" not in dash_duo.find_element(".recipients-table").text
    assert dash_duo.get_logs() == []
