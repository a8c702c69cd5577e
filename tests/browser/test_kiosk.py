"""The meeting-room screen in Chromium: it rotates by itself, keys step and pause it, and an
import shows up at the next refresh without a reload and without moving the slide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import create_engine

from dashboard.domain.periods import parse_period
from dashboard.domain.worktime import WorkCalendar
from dashboard.services import early_warning, report
from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access.importer import import_bytes
from tests.browser.conftest import non_local, requested_urls
from tests.importer.files import csv_bytes
from tests.serving import free_port

pytestmark = pytest.mark.browser

# One more refused dossier in Đồng Lạc in March 2025 (received and refused the same week).
REFUSED = [
    "1",
    "KIOSK-001",
    "Xã Đồng Lạc",
    "1.001193.000.00.00.H23",
    "Đăng ký khai sinh",
    "Hộ tịch",
    "Trực tiếp",
    "",
    "10/03/2025 08:00",
    "11/03/2025 17:00",
    "11/03/2025 09:00",
    "Từ chối",
    "Không",
    "Không",
    "Không",
    "Không",
    "Không",
    "",
]


def _slide(dash_duo) -> str:
    return dash_duo.driver.execute_script("return document.body.getAttribute('data-kiosk-slide');")


def _returned_on_screen(dash_duo) -> str:
    return dash_duo.driver.execute_script(
        "var el = document.querySelector('[data-slide=overview] .kiosk-count:nth-child(3)"
        " .kiosk-big'); return el ? el.textContent : null;"
    )


def test_rotates_steps_pauses_and_refreshes_in_place(
    dash_duo, writable_demo_url: str, tmp_path: Path
) -> None:
    engine = create_engine(writable_demo_url)
    before = report.compute(engine, parse_period("2025-Q1")).parent.indicators["returned"].value
    app = create_app(
        Settings(database_url=writable_demo_url, instance_dir=tmp_path, demo_on_empty=False)
    )
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1920, 1080)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/trinh-chieu?ky=2025-Q1&giay=2&lam_moi=2")
    dash_duo.wait_for_contains_text(".kiosk-period", "Quý I/2025", timeout=30)
    assert not dash_duo.find_element(".navbar").is_displayed()
    assert _returned_on_screen(dash_duo) == str(round(before))
    # The early-warning slide: the units with open dossiers late or due soon on the newest day.
    w = early_warning.compute(engine, dt.date(2026, 10, 30), WorkCalendar())
    late = [u.unit.name for u in w.units if u.warned]
    shown = dash_duo.driver.execute_script(
        "var s = document.querySelector('[data-slide=warnings]');"
        " return s ? [s.querySelector('.kiosk-slide-title').textContent,"
        " Array.from(s.querySelectorAll('tbody tr td:first-child')).map(function (td) {"
        " return td.textContent; })] : null;"
    )
    assert shown[0] == "Hồ sơ đang mở cần xử lý (đến 30/10/2026)"
    assert late and sorted(shown[1]) == sorted(late)
    # It moves on by itself after the interval.
    until(lambda: _slide(dash_duo) not in (None, "0"), timeout=10)
    # Space pauses; the arrow keys step.
    ActionChains(dash_duo.driver).send_keys(Keys.SPACE).perform()
    dash_duo.wait_for_contains_text("#kiosk-progress", "Tạm dừng", timeout=5)
    ActionChains(dash_duo.driver).send_keys(Keys.ARROW_RIGHT).perform()
    ActionChains(dash_duo.driver).send_keys(Keys.ARROW_LEFT).perform()
    ActionChains(dash_duo.driver).send_keys(Keys.ARROW_LEFT).perform()
    held = _slide(dash_duo)
    active = dash_duo.driver.execute_script(
        "return document.querySelectorAll('.kiosk-slide.active').length;"
    )
    assert active == 1
    dash_duo.driver.execute_script("window.__sameDocument = true;")

    report_ = import_bytes(engine, csv_bytes([REFUSED]), "them.csv", user="test")
    assert report_.status == "committed" and report_.inserted == 1
    until(lambda: _returned_on_screen(dash_duo) == str(round(before) + 1), timeout=15)
    assert _slide(dash_duo) == held  # the refresh did not move the paused slide
    assert dash_duo.driver.execute_script("return window.__sameDocument === true;")
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
