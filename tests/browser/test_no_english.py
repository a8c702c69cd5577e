"""No English left in the interface: every page is walked in Chromium, its date picker opened
and a grid's filter menu shown, and the visible text and the words a screen reader or a
tooltip gives (aria-label, title, placeholder, plotly's data-title) are searched for the
English that AG Grid, plotly, Dash's date picker and its 404 page would otherwise show."""

from __future__ import annotations

import re

import pytest
import requests
from dash.testing.wait import until

from tests.serving import free_port

pytestmark = pytest.mark.browser

ENGLISH = re.compile(
    r"\b(Page Size|First Page|Last Page|Next Page|Previous Page|Page|No Rows|No Matching Rows|"
    r"Loading|Filter|Contains|Not contains|Equals|Does not equal|Begins with|Ends with|Blank|"
    r"Apply|Reset|Cancel|Clear|Select|Search|No options|No results|Previous month|Next month|"
    r"Increase value|Decrease value|Download plot|Zoom|Autoscale|Reset axes|Produced with|"
    r"Mo|Tu|We|Th|Fr|Sa|Su|Error|Download|Upload|Choose|Drag|Drop|Sort|Ascending|Descending|"
    r"Columns|Not Found|not found|Page not found|Toggle|Compare data|Show closest)\b"
    r"|\d+ to \d+ of \d+"
)

SEEN = """
var words = [document.body.innerText];
document.querySelectorAll('[aria-label], [title], [placeholder], [data-title], [alt]')
  .forEach(function (el) {
    ['aria-label', 'title', 'placeholder', 'data-title', 'alt'].forEach(function (name) {
      var v = el.getAttribute(name);
      if (v) { words.push(v); }
    });
  });
return words.join('\\n');
"""

PAGES = [
    ("/?ky=2025-Q1", "#ov-content h1", "#ov-range"),
    ("/xep-hang?ky=2025-Q1", ".league-grid .ag-row", "#lg-range"),
    ("/don-vi?ky=2025-Q1&ma=10657", ".unit-dossiers .ag-row", "#un-range"),
    ("/giai-trinh?ky=2025-Q1", ".explain-grid .ag-row", "#ex-range"),
    ("/canh-bao?ngay=2025-06-20", ".warn-grid .ag-row", None),
    ("/du-lieu", ".freshness-table", None),
    ("/nguoi-nhan", "#rc-server span", None),
    ("/khong-co-trang-nay", "#not-found", None),
]


ROWS = (  # the unit names of a grid's shown rows, read at once (the grid redraws as it filters)
    "return Array.from(document.querySelectorAll(arguments[0] + "
    "' .ag-row [col-id=unit_name]')).map(function (e) { return e.textContent; });"
)


def _english(dash_duo) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(dash_duo.driver.execute_script(SEEN))})


CSP_WATCH = (  # before any page script runs: every script, style or eval the policy refuses
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));"
    "});"
)


def test_every_page_speaks_vietnamese_under_the_csp(dash_duo, demo_app) -> None:
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH})
    dash_duo.start_server(demo_app, port=free_port())
    policy = requests.get(dash_duo.server_url, timeout=30).headers["Content-Security-Policy"]
    scripts = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "'sha256-" in scripts  # Dash's inline scripts, by their hashes
    refused: dict[str, list[str]] = {}
    dash_duo.driver.set_window_size(1366, 768)
    found = {}
    opened = {"calendar": 0, "grid menu": 0, "pager": 0}
    for path, ready, picker in PAGES:
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}{path}")
        dash_duo.wait_for_element(ready, timeout=30)
        until(lambda: dash_duo.driver.execute_script("return !document.querySelector("
                                                    "'[data-dash-is-loading=\"true\"]');"),
              timeout=30)  # fmt: skip
        words = _english(dash_duo)
        if picker:  # the calendar of the date range
            dash_duo.find_element(picker).click()
            dash_duo.wait_for_element(".dash-datepicker-calendar-wrapper", timeout=10)
            until(lambda: "T2" in dash_duo.find_element(".dash-datepicker-calendar-wrapper").text,
                  timeout=10)  # fmt: skip
            words += _english(dash_duo)
            opened["calendar"] += 1
            dash_duo.find_element("h1, h2, .navbar-brand").click()  # close it
        menus = dash_duo.find_elements(".ag-header-cell-filter-button, .ag-header-cell-menu-button")
        if menus:  # a grid's filter menu
            dash_duo.driver.execute_script("arguments[0].click();", menus[0])
            dash_duo.wait_for_element(".ag-popup, .ag-menu", timeout=10)
            words += _english(dash_duo)
            opened["grid menu"] += 1
        opened["pager"] += len(dash_duo.find_elements(".ag-paging-panel"))
        if words:
            found[path] = sorted(set(words))
        if blocked := dash_duo.driver.execute_script("return window.__csp;"):
            refused[path] = blocked
    # The meeting-room screen, and the modebar of a chart on the overview.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q1")
    dash_duo.wait_for_element(".modebar-btn", timeout=30)
    words = _english(dash_duo)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/trinh-chieu?ky=2025-Q1&giay=600")
    dash_duo.wait_for_contains_text(".kiosk-period", "Quý I/2025", timeout=30)
    words += _english(dash_duo)
    if words:
        found["modebar, trinh-chieu"] = sorted(set(words))
    if blocked := dash_duo.driver.execute_script("return window.__csp;"):
        refused["trinh-chieu"] = blocked
    assert found == {}
    assert refused == {}  # grids, charts, calendars and slides draw under the policy
    assert min(opened.values()) >= 1, opened  # each kind of widget was really looked at


def test_every_search_box_finds_without_diacritics(dash_duo, demo_app) -> None:
    """The period box ("quy i"), the unit and field boxes, and the grids' filters ("dong
    lac") match without diacritics and case, and with them too."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q1")
    dash_duo.wait_for_contains_text("#ov-content h1", "Quý I/2025", timeout=30)

    def finds(box: str, typed: str, want) -> None:
        """Type into the box's search and wait until the options shown are what `want`
        accepts (the list narrows as the letters arrive)."""
        dash_duo.find_element(box).click()
        search = dash_duo.wait_for_element("input[placeholder^='Tìm']", timeout=10)
        search.send_keys(Keys.CONTROL, "a")  # a box keeps what was typed in it last time
        search.send_keys(Keys.DELETE)
        search.send_keys(typed)

        def shown() -> list[str]:
            # the list is drawn again as the letters arrive: an option read while it is
            # replaced is stale, and the wait asks again
            try:
                return [e.text for e in dash_duo.find_elements(".dash-dropdown-option") if e.text]
            except StaleElementReferenceException:
                return []

        try:
            until(lambda: want(shown()), timeout=10)
        except Exception as exc:  # say what was shown instead
            raise AssertionError((box, typed, shown())) from exc
        search.send_keys(Keys.ESCAPE)  # close it

    finds("#ov-period", "quy i", lambda shown: "Quý I/2025" in shown)
    finds(
        "#ov-period",
        "QUY I/2025",
        lambda shown: "Quý I/2025" in shown and all("2025" in o for o in shown),
    )
    finds("#ov-units", "dong lac", lambda shown: shown == ["Đồng Lạc (10657)"])
    finds("#ov-units", "Đồng", lambda shown: shown == ["Đồng Lạc (10657)"])
    finds("#ov-fields", "ho tich", lambda shown: shown == ["Hộ tịch"])

    for path, grid in (
        ("/xep-hang?ky=2025-Q1", ".league-grid"),
        ("/giai-trinh?ky=2025-Q1", ".explain-grid"),
    ):
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}{path}")
        box = dash_duo.wait_for_element(f"{grid} .ag-floating-filter input", timeout=30)
        box.send_keys("dong lac")
        until(
            lambda grid=grid: set(dash_duo.driver.execute_script(ROWS, grid)) == {"Đồng Lạc"},
            timeout=10,
        )
