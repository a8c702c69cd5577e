"""The units-that-must-explain page in Chromium: the list agrees with the engine, and an
explanation recorded there persists and shows on the unit page after a reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By
from sqlalchemy import create_engine, select

from dashboard.domain.periods import parse_period
from dashboard.services import standing
from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access.models import Explanation, ExplanationEvent
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def _panel_open(dash_duo) -> None:
    """Wait until the record panel has finished sliding in (clicks land where they aim)."""
    dash_duo.wait_for_element(".explain-panel.show #ex-save", timeout=10)
    spot = "return document.getElementById('ex-save').getBoundingClientRect().left;"
    last = [None]

    def settled() -> bool:
        now = dash_duo.driver.execute_script(spot)
        done, last[0] = now == last[0], now
        return done

    until(settled, timeout=5, poll=0.2)


def test_record_an_explanation_and_see_it_on_the_unit_page(
    dash_duo, writable_demo_url: str, tmp_path: Path
) -> None:
    engine = create_engine(writable_demo_url)
    misses = standing.below_target(engine, parse_period("2025-Q1"))
    miss = next(m for m in misses if m.indicator.key == "online_payment")
    code = miss.unit.code
    app = create_app(
        Settings(database_url=writable_demo_url, instance_dir=tmp_path, demo_on_empty=False)
    )
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/giai-trinh?ky=2025-Q1")
    units = len({m.unit.code for m in misses})
    dash_duo.wait_for_contains_text(
        "#ex-summary", f"{len(misses)} chỉ tiêu không đạt ở {units} đơn vị", timeout=30
    )
    # The grid pages 25 rows at a time: show only this unit's rows with the unit filter.
    row_selector = (
        f'.explain-grid .ag-center-cols-container [row-id="{miss.unit.id}:online_payment"]'
    )
    # getApiAsync resolves once the grid is ready (the summary can be drawn before it is).
    dash_duo.driver.set_script_timeout(30)
    dash_duo.driver.execute_async_script(
        "const code = arguments[0], done = arguments[arguments.length - 1];"
        "dash_ag_grid.getApiAsync('ex-grid').then(function (api) {"
        "  return api.setColumnFilterModel('unit_code',"
        "    {filterType: 'text', type: 'equals', filter: code})"
        "    .then(function () { api.onFilterChanged(); done(true); });"
        "});",
        code,
    )
    dash_duo.wait_for_element(row_selector, timeout=10).find_element(
        By.CSS_SELECTOR, '[col-id="indicator_name"]'
    ).click()
    dash_duo.wait_for_contains_text(".explain-form h2", miss.unit.name, timeout=10)
    _panel_open(dash_duo)
    dash_duo.find_element("#ex-author").send_keys("Trần Văn Bình")
    dash_duo.find_element("#ex-text").send_keys("Người dân chưa quen thanh toán qua mạng. " + XSS)
    dash_duo.find_element("#ex-plan").send_keys("Cán bộ một cửa hướng dẫn tại chỗ.")
    dash_duo.find_element("#ex-save").click()
    dash_duo.wait_for_contains_text("#ex-message", "Đã lưu", timeout=10)
    dash_duo.wait_for_contains_text(".explain-history", "Trần Văn Bình", timeout=10)
    until(
        lambda: (
            "Đã yêu cầu giải trình"
            in dash_duo.find_element(row_selector + ' [col-id="status"]').text
        ),
        timeout=10,
    )
    with engine.connect() as conn:
        saved = conn.execute(select(Explanation)).one()
        logged = conn.execute(select(ExplanationEvent.author, ExplanationEvent.status)).all()
    assert (saved.unit_id, saved.period, saved.indicator, saved.status) == (
        miss.unit.id,
        "2025-Q1",
        "online_payment",
        "requested",
    )
    assert saved.remediation_plan == "Cán bộ một cửa hướng dẫn tại chỗ."
    assert logged == [("Trần Văn Bình", "requested")]

    # A new page load (as after a reload or from a shared link) shows it on the unit page.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/don-vi?ky=2025-Q1&ma={code}")
    dash_duo.wait_for_contains_text(".unit-explanations", "Trần Văn Bình", timeout=20)
    history = dash_duo.find_element(".unit-explanations").text
    assert "Quý I/2025" in history and "Tỷ lệ thanh toán trực tuyến" in history
    assert "Người dân chưa quen thanh toán qua mạng." in history
    assert XSS in history  # shown as text, never run
    assert dash_duo.driver.execute_script("return window.__xss === undefined;")
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []


FIELD_STATE = (  # whether a form field is marked invalid, and what its feedback says
    "var f = document.getElementById(arguments[0]);"
    "var e = document.getElementById(arguments[0] + '-error');"
    "return [f.classList.contains('is-invalid'), e ? e.textContent : ''];"
)


def test_a_step_the_workflow_forbids_is_refused_on_screen(
    dash_duo, writable_demo_url: str, tmp_path: Path
) -> None:
    app = create_app(
        Settings(database_url=writable_demo_url, instance_dir=tmp_path, demo_on_empty=False)
    )
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/giai-trinh?ky=2025-Q1&lien_tiep=1")
    first = dash_duo.wait_for_element(
        ".explain-grid .ag-center-cols-container .ag-row [col-id='indicator_name']", timeout=30
    )
    assert "streak-alert" in first.find_element(By.XPATH, "..").get_attribute("class")
    first.click()
    _panel_open(dash_duo)
    dash_duo.find_element("#ex-save").click()  # no author
    dash_duo.wait_for_contains_text("#ex-save-message", "Cần ghi tên người cập nhật", timeout=10)
    # Said beside the field too, which is marked (read at once: no element kept across a
    # redraw).
    marked = dash_duo.driver.execute_script(FIELD_STATE, "ex-author")
    assert marked == [True, "Cần ghi tên người cập nhật"]
    engine = create_engine(writable_demo_url)
    with engine.connect() as conn:
        assert conn.execute(select(Explanation)).all() == []
    assert dash_duo.driver.current_url.endswith("/giai-trinh?ky=2025-Q1&lien_tiep=1")


def test_a_typed_deadline_is_saved_as_typed_or_refused_by_name(
    dash_duo, writable_demo_url: str, tmp_path: Path
) -> None:
    """Typing a day and clicking Lưu (no Enter, no Tab, no calendar) saves that day; a day
    that does not exist is refused with the field named, and nothing is written."""
    app = create_app(
        Settings(database_url=writable_demo_url, instance_dir=tmp_path, demo_on_empty=False)
    )
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/giai-trinh?ky=2025-Q1")
    dash_duo.wait_for_element(
        ".explain-grid .ag-center-cols-container .ag-row [col-id='indicator_name']", timeout=30
    ).click()
    _panel_open(dash_duo)
    engine = create_engine(writable_demo_url)

    def events() -> list:
        with engine.connect() as conn:
            return conn.execute(select(ExplanationEvent.deadline, ExplanationEvent.text)).all()

    dash_duo.find_element("#ex-author").send_keys("Nguyễn Thị Hoa")
    dash_duo.find_element("#ex-deadline").send_keys("31/02/2025")
    dash_duo.find_element("#ex-text").click()
    dash_duo.find_element("#ex-text").send_keys("Thử")
    dash_duo.find_element("#ex-save").click()
    dash_duo.wait_for_contains_text("#ex-save-message", "Hạn hoàn thành khắc phục", timeout=10)
    message = dash_duo.find_element("#ex-save-message").text
    assert "Chưa lưu" in message and "«31/02/2025»" in message
    assert events() == []
    # At 1366×768 the reason is in view where the eye is: just above the Lưu button, and
    # beside the date, which is marked; the other fields are not.
    marked, said = dash_duo.driver.execute_script(FIELD_STATE, "ex-deadline")
    assert marked and "«31/02/2025»" in said
    assert dash_duo.driver.execute_script(FIELD_STATE, "ex-text") == [False, ""]
    in_view = dash_duo.driver.execute_script(
        "var r = document.querySelector('#ex-save-refused').getBoundingClientRect();"
        "var b = document.querySelector('#ex-save').getBoundingClientRect();"
        "return [r.top >= 0 && r.bottom <= window.innerHeight, b.top - r.bottom];"
    )
    assert in_view[0] and 0 <= in_view[1] < 30, in_view
    # What was typed after clicking away landed in the text box, not in the date.
    assert dash_duo.find_element("#ex-deadline").get_attribute("value") == "31/02/2025"
    assert dash_duo.find_element("#ex-text").get_attribute("value") == "Thử"

    box = dash_duo.find_element("#ex-deadline")
    box.clear()
    box.send_keys("5/7/2025")  # d/m/yyyy reads too
    dash_duo.find_element("#ex-save").click()
    dash_duo.wait_for_contains_text("#ex-message", "Đã lưu", timeout=10)
    assert "is-invalid" not in dash_duo.find_element("#ex-deadline").get_attribute("class")
    dash_duo.wait_for_contains_text(".explain-history", "Hạn: 05/07/2025", timeout=10)
    assert events() == [(dt.date(2025, 7, 5), "Thử")]
    assert dash_duo.get_logs() == []
