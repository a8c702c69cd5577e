"""The overview in real Chromium: figures equal the indicator functions; the URL keeps the view."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys
from sqlalchemy import Engine

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.periods import parse_period
from dashboard.services import report
from tests.browser.conftest import non_local, requested_urls
from tests.serving import free_port

pytestmark = pytest.mark.browser


def _shown(dash_duo) -> dict[str, tuple[str, str]]:
    return {
        el.get_attribute("data-indicator"): (
            el.get_attribute("data-numerator"),
            el.get_attribute("data-denominator"),
        )
        for el in dash_duo.find_elements(".gauge-caption")
    }


def _expected(engine: Engine, period: str, units: list[str]) -> dict[str, tuple[str, str]]:
    rep = report.scope_report(engine, parse_period(period), units)
    return {
        k: (str(v.numerator), str(v.denominator))
        for k, v in rep.indicators.items()
        if k not in ("overdue", "paused", "returned")
    }


def test_overview_follows_the_url_and_equals_the_engine(
    dash_duo, demo_app, demo_engine: Engine
) -> None:
    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q1&don_vi=10657")
    dash_duo.wait_for_contains_text("#ov-content h1", "Đồng Lạc · Quý I/2025", timeout=20)
    assert _shown(dash_duo) == _expected(demo_engine, "2025-Q1", ["10657"])
    counts = {
        el.get_attribute("data-count"): el.text for el in dash_duo.find_elements("[data-count]")
    }
    assert counts == {"overdue": "0", "paused": "0", "returned": "2"}  # the directive's

    # Whole district, March 2025: chosen in the filter bar; the URL follows.
    dash_duo.select_dcc_dropdown("#ov-period", "Tháng 3/2025")
    # Back to the whole district: remove the chosen unit from the dropdown.
    dash_duo.find_element("#ov-units .dash-dropdown-clear").click()
    dash_duo.wait_for_contains_text("#ov-content h1", "Nam Sách · Tháng 3/2025", timeout=20)
    assert _shown(dash_duo) == _expected(demo_engine, "2025-03", [])
    url = dash_duo.driver.current_url
    assert url.endswith("?ky=2025-03")
    dash_duo.wait_for_page(url=url)  # reload: the same view
    dash_duo.wait_for_contains_text("#ov-content h1", "Nam Sách · Tháng 3/2025", timeout=20)
    assert _shown(dash_duo) == _expected(demo_engine, "2025-03", [])
    # Each indicator's sparkline: 12 months ending with March 2025, as the engine gives them.
    # Plotly draws after the layout arrives: wait until every sparkline holds its data.
    lines = until(
        lambda: dash_duo.driver.execute_script(
            "var els = document.querySelectorAll('[data-trend]'), out = {};"
            " if (!els.length) return null;"
            " for (var i = 0; i < els.length; i++) {"
            "  var p = els[i].querySelector('.js-plotly-plot');"
            "  if (!p || !p.data) return null;"
            "  out[els[i].getAttribute('data-trend')] = [p.data[0].x, p.data[0].y]; }"
            " return out;"
        ),
        timeout=20,
    )
    assert "online_payment" in lines and "overdue" in lines
    for key, (months, values) in lines.items():
        assert months[0] == "04/2024" and months[-1] == "03/2025"
        for label, shown in zip(months[-3:], values[-3:], strict=True):
            mm, yyyy = label.split("/")
            ev = report.compute(demo_engine, parse_period(f"{yyyy}-{mm}")).parent.indicators[key]
            scale = 100 if BY_KEY[key].unit == "%" else 1
            assert shown == pytest.approx(ev.value * scale)
    # Any dates: a custom range becomes the period, in the URL too.
    dash_duo.find_element("#ov-range").send_keys("05/01/2025" + Keys.TAB)
    dash_duo.find_element(".period-range .dash-datepicker-end-date").send_keys(
        "20/02/2025" + Keys.TAB
    )
    dash_duo.wait_for_contains_text(
        "#ov-content h1", "Nam Sách · Từ 05/01/2025 đến 20/02/2025", timeout=20
    )
    assert _shown(dash_duo) == _expected(demo_engine, "2025-01-05:2025-02-20", [])
    assert dash_duo.driver.current_url.endswith("?ky=2025-01-05%3A2025-02-20")
    # A named period chosen afterwards empties the boxes (they never show another range than
    # the page's); a link with a range fills them.
    start_box = "#ov-range"
    end_box = ".period-range .dash-datepicker-end-date"
    dash_duo.select_dcc_dropdown("#ov-period", "Tháng 3/2025")
    dash_duo.wait_for_contains_text("#ov-content h1", "Tháng 3/2025", timeout=20)
    until(lambda: dash_duo.find_element(start_box).get_attribute("value") == "", timeout=10)
    assert dash_duo.find_element(end_box).get_attribute("value") == ""
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-06-03:2025-06-17")
    dash_duo.wait_for_contains_text("#ov-content h1", "Từ 03/06/2025 đến 17/06/2025", timeout=20)
    until(
        lambda: dash_duo.find_element(start_box).get_attribute("value") == "03/06/2025",
        timeout=10,
    )
    assert dash_duo.find_element(end_box).get_attribute("value") == "17/06/2025"
    assert dash_duo.driver.current_url.endswith("?ky=2025-06-03%3A2025-06-17")
    # Units are found without diacritics: "dong lac" finds Đồng Lạc.
    dash_duo.find_element("#ov-units").click()
    dash_duo.find_element(".dash-dropdown-search").send_keys("dong lac")
    dash_duo.wait_for_text_to_equal(".dash-dropdown-options", "Đồng Lạc (10657)", timeout=5)
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []


def test_the_scope_follows_the_period(dash_duo, demo_app, demo_engine: Engine) -> None:
    """Before 1/7/2025 the district, after it the five communes' area; a period across the
    date says how it is counted."""
    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q3")
    dash_duo.wait_for_contains_text(
        "#ov-content h1", "Tổng quan · Khu vực Nam Sách · Quý III/2025", timeout=30
    )
    assert _shown(dash_duo) == _expected(demo_engine, "2025-Q3", [])
    assert not dash_duo.find_elements("#ov-how-counted")
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q1")
    dash_duo.wait_for_contains_text(
        "#ov-content h1", "Tổng quan · Huyện Nam Sách · Quý I/2025", timeout=30
    )
    assert _shown(dash_duo) == _expected(demo_engine, "2025-Q1", [])
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-06-15:2025-07-15")
    dash_duo.wait_for_contains_text("#ov-how-counted", "cộng các đơn vị cũ", timeout=30)
    assert "Khu vực Nam Sách" in dash_duo.find_element("#ov-content h1").text
    assert dash_duo.get_logs() == []


def test_the_assessment_unfolds_and_the_pack_builds_with_its_progress(
    dash_duo, demo_app, demo_engine: Engine
) -> None:
    import io
    import urllib.request
    import zipfile

    from dashboard.domain.formatting import fmt_int
    from dashboard.web import pack_jobs

    dash_duo.start_server(demo_app, port=free_port())
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2025-Q1")
    dash_duo.wait_for_contains_text("#ov-content h1", "Nam Sách · Quý I/2025", timeout=20)
    # Folded at first: no text computed or shown.
    assert dash_duo.find_element("#ov-assessment").get_attribute("open") is None
    assert dash_duo.find_element("#ov-assessment-text").text == ""
    dash_duo.find_element("#ov-assessment summary").click()
    received = report.compute(demo_engine, parse_period("2025-Q1")).parent.counts["received"]
    dash_duo.wait_for_contains_text(
        "#ov-assessment-text",
        f"Trong quý I/2025, Huyện Nam Sách tiếp nhận {fmt_int(received)} hồ sơ",
        timeout=20,
    )
    assert "Kết quả thực hiện các chỉ tiêu" in dash_duo.find_element("#ov-assessment-text").text

    dash_duo.find_element("#ov-pack-start").click()
    link = dash_duo.wait_for_element("#ov-pack-link", timeout=120)
    job_id = link.get_attribute("href").rsplit("/", 1)[1].removesuffix(".zip")
    job = pack_jobs.get(job_id)
    assert job is not None and job.error is None
    # The page was told each chart as it was drawn, then that it was writing the files.
    assert [s for s in job.steps if "biểu đồ" in s] == [
        f"Đang tạo bộ báo cáo… {i}/10 biểu đồ" for i in range(1, 11)
    ]
    assert job.steps[-1].startswith("Xong sau")
    with urllib.request.urlopen(link.get_attribute("href"), timeout=30) as res:
        names = zipfile.ZipFile(io.BytesIO(res.read())).namelist()
    assert sorted(names) == [
        "bao-cao-ket-qua-giai-quyet-tthc_quy-i-2025.docx",
        "bao-cao-tthc-2025-Q1.pdf",
        "bao-cao-tthc-2025-Q1.pptx",
        "bao-cao-tthc-2025-Q1.xlsx",
        "bieu-06-vpcp-kstt_quy-i-2025.xlsx",
        "cong-van-de-nghi-giai-trinh_quy-i-2025.docx",
    ]
