"""With accounts on, in Chromium: the login form, the pages a role may open drawn in full,
the others refused, and the meeting-room screen through a display token."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from dash.testing.wait import until
from sqlalchemy import create_engine

from dashboard.settings import Settings
from dashboard.web import auth
from dashboard.web.app import create_app
from data_access import accounts
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"


def test_login_then_pages_by_role(dash_duo, writable_demo_url: str, tmp_path: Path) -> None:
    app = create_app(
        Settings(database_url=writable_demo_url, instance_dir=tmp_path, demo_on_empty=False)
    )
    dash_duo.start_server(app, port=free_port())  # open: dash_duo waits for the app at "/"
    # Accounts created while the server runs take effect within auth.ACCOUNTS_RECHECK seconds.
    with create_engine(writable_demo_url).begin() as conn:
        accounts.add_user(
            conn, "donglac", PASSWORD, "don_vi", unit="10657", full_name="Nguyễn Văn Lạc"
        )
        token = accounts.new_display_token(conn, "Phòng họp")
    # Wait for the event, not the clock: the server starts asking for a login.
    until(
        lambda: requests.get(dash_duo.server_url, allow_redirects=False).status_code == 302,
        timeout=auth.ACCOUNTS_RECHECK + 120,
    )
    dash_duo.driver.delete_all_cookies()
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.driver.get(f"{dash_duo.server_url}/?ky=2025-Q1")
    dash_duo.wait_for_element("#username", timeout=10).send_keys("donglac")
    dash_duo.find_element("#password").send_keys(PASSWORD)
    dash_duo.find_element("button[type=submit]").click()
    # Back on the overview, drawn in full; the unit list holds only its own unit.
    dash_duo.wait_for_contains_text("#ov-content h1", "Quý I/2025", timeout=30)
    dash_duo.find_element("#ov-units").click()
    options = dash_duo.wait_for_element(".dash-dropdown-options", timeout=5).text
    assert options == "Đồng Lạc (10657)"
    # Who am I: the person's name and role, and the way out; only the pages it may open.
    dash_duo.wait_for_text_to_equal("#shell-user-name", "Nguyễn Văn Lạc", timeout=10)
    who = dash_duo.find_element("#shell-user").text
    assert "Nguyễn Văn Lạc · Đồng Lạc · Đăng xuất · Đăng xuất mọi nơi" in who
    links = [a.text for a in dash_duo.find_elements("#shell-nav a")]
    assert "Tổng quan" in links and "Dữ liệu" not in links and "Trình chiếu" not in links
    assert dash_duo.find_elements("#ov-pack-start") == []  # the pack is the office's
    dash_duo.driver.get(f"{dash_duo.server_url}/giai-trinh?ky=2025-Q1")
    dash_duo.wait_for_contains_text("#ex-content", "Tải về", timeout=30)
    assert "Công văn" not in dash_duo.find_element("#ex-content").text
    # A page it may not open, by URL: refused in the site's frame, with a way back and out.
    dash_duo.driver.get(f"{dash_duo.server_url}/du-lieu")
    dash_duo.wait_for_contains_text("h1", "Không có quyền", timeout=10)
    assert "Nguyễn Văn Lạc · Đồng Lạc ·" in dash_duo.find_element("nav").text  # its unit
    # The bar offers what this account may open, as every page's does (issue 24).
    offered = [a.text for a in dash_duo.find_elements("#refused-nav a")]
    assert offered == links
    assert dash_duo.find_element("nav form[action='/dang-xuat'] button").text == "Đăng xuất"
    dash_duo.find_element("#back-home").click()
    dash_duo.wait_for_contains_text("#ov-content h1", "Tổng quan", timeout=30)
    # No such page: said in Vietnamese inside the site, with the menu and a way back.
    dash_duo.driver.get(f"{dash_duo.server_url}/khong-co-dau")
    dash_duo.wait_for_contains_text("#not-found h1", "Không có trang này", timeout=20)
    assert dash_duo.find_element("#shell-nav").is_displayed()
    dash_duo.find_element("#not-found #back-home").click()
    dash_duo.wait_for_contains_text("#ov-content h1", "Tổng quan", timeout=30)
    dash_duo.driver.get(f"{dash_duo.server_url}/don-vi?ky=2025-Q1&ma=10612")
    # Another unit's page asked for by URL: refused in words, and its own unit shown.
    dash_duo.wait_for_contains_text("#un-not-allowed", "không xem được đơn vị mã «10612»", 30)
    dash_duo.wait_for_contains_text("#un-content h1", "Đồng Lạc (10657)", timeout=30)
    assert "Nam Tân" not in dash_duo.find_element("#un-content").text
    assert non_local(requested_urls(dash_duo.driver)) == []
    copied = dash_duo.driver.get_cookie("tthc_phien")["value"]
    dash_duo.find_element("#shell-logout").click()  # the way out: a form posted with its token
    dash_duo.wait_for_element("#username", timeout=10)
    after = requests.get(
        dash_duo.server_url, cookies={"tthc_phien": copied}, allow_redirects=False, timeout=30
    )
    assert after.status_code == 302  # the session ended on the server: a copy opens nothing
    # Every page drew under the Content-Security-Policy (scripts by hash, no inline code).
    refused = [e for e in dash_duo.get_logs() or [] if "Content Security Policy" in e["message"]]
    assert refused == []

    # A meeting-room screen with its token: slides, and nothing else.
    dash_duo.driver.delete_all_cookies()
    dash_duo.driver.get(f"{dash_duo.server_url}/trinh-chieu?token={token}&ky=2025-Q1")
    dash_duo.wait_for_contains_text(".kiosk-period", "Quý I/2025", timeout=30)
    assert dash_duo.driver.current_url.endswith("/trinh-chieu?ky=2025-Q1")
    dash_duo.driver.get(f"{dash_duo.server_url}/xep-hang")
    dash_duo.wait_for_contains_text("h1", "Không có quyền", timeout=10)
