"""What a new office trips on at the city scale (issue 24), in Chromium at 1366×768 and
1920×1080, on the Nam Sách scope and on Thành phố Hải Phòng (TTHC_SCOPE=31, 114 units): the
scope's own name in the bar; the unit page opens on a unit of the period (never a unit merged
away before it); the unit choices are the period's units, the former ones only on request and
marked; a period with no data before it shows no change against it.

Expected units come from the catalog by SQL, never from the code under test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from dash.testing.wait import until
from sqlalchemy import create_engine, text

from dashboard.settings import Settings
from dashboard.web.app import create_app
from tests.serving import free_port

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
OPTIONS = (
    "return Array.from(document.querySelectorAll('.dash-dropdown-options .dash-options-list"
    "-option, .dash-dropdown-options [role=option]')).map(function (e) { return e.textContent; });"
)


@dataclass(frozen=True)
class Case:
    scope: str
    head: str  # the unit whose receiving units the scope watches in the period
    period: str
    day: str  # a day of the period: its units are those valid then
    bar: str  # the scope's name in the bar, as of the newest data
    searches: tuple[tuple[str, bool], ...]  # typed in the unit choices: found or not


NAM_SACH = Case(
    "nam-sach", "291", "2025-Q1", "2025-03-31", "KHU VỰC NAM SÁCH",
    (("Nam Hồng", False), ("Thị trấn Nam Sách", True), ("Phòng Tư pháp", True)),
)  # fmt: skip
CITY = Case(
    "31", "31", "2025-Q3", "2025-09-30", "THÀNH PHỐ HẢI PHÒNG",
    (("Xã Nam Sách", True), ("Phường Lê Chân", True), ("An Lâm", False), ("Phòng Tư pháp", False)),
)  # fmt: skip


def _period_units(url: str, case: Case) -> set[str]:
    """The names of the receiving units the scope watches on the period's last day."""
    with create_engine(url).connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.name FROM units u JOIN units p ON p.id = u.parent_id "
                "WHERE p.code = :head AND u.kind IN "
                "('commune','ward','town','special_zone','department') "
                "AND u.valid_from <= :day AND (u.valid_to IS NULL OR u.valid_to >= :day)"
            ),
            {"head": case.head, "day": case.day},
        ).scalars()
        return set(rows)


def _shown_options(dash_duo) -> list[str]:
    dash_duo.find_element("#un-unit").click()
    dash_duo.wait_for_element(".dash-dropdown-options", timeout=10)
    until(lambda: dash_duo.driver.execute_script(OPTIONS), timeout=10)
    options = dash_duo.driver.execute_script(OPTIONS)
    dash_duo.find_element("h1, .navbar-brand").click()  # close it
    return options


def _searched(dash_duo, typed: str) -> list[str]:
    """The unit choices a search shows."""
    dash_duo.find_element("#un-unit").click()
    box = dash_duo.wait_for_element(".dash-dropdown-search, .dash-dropdown input", timeout=10)
    box.send_keys(typed)
    until(lambda: dash_duo.driver.execute_script(OPTIONS) is not None, timeout=10)
    options = dash_duo.driver.execute_script(OPTIONS)
    dash_duo.find_element("h1, .navbar-brand").click()  # close it
    return options


def test_the_period_s_units_the_scope_s_name_and_no_change_from_nothing(
    dash_duo, demo_url: str, city_url: str, tmp_path: Path
) -> None:
    for i, (url, case) in enumerate(((demo_url, NAM_SACH), (city_url, CITY))):
        if i:
            dash_duo.server.stop()  # the next scope is another app
        settings = Settings(
            database_url=url, instance_dir=tmp_path, demo_on_empty=False, scope=case.scope
        )
        dash_duo.start_server(create_app(settings), port=free_port())
        units = _period_units(url, case)
        assert units
        for width, height in SIZES:
            dash_duo.driver.set_window_size(width, height)
            dash_duo.wait_for_page(url=f"{dash_duo.server_url}/don-vi?ky={case.period}")
            dash_duo.wait_for_element("#un-content h1", timeout=30)
            # The bar names the scope (as of the newest data), never "MÃ 31".
            dash_duo.wait_for_text_to_equal("#shell-district", case.bar, timeout=20)
            # The page opens on a unit of the period, drawn in full.
            h1 = dash_duo.find_element("#un-content h1").text
            assert any(h1.startswith(f"{name} (") for name in units), h1
            assert dash_duo.find_elements(".unit-indicators")
            # Its choices are the period's units, and nothing else (a long list is drawn as it
            # scrolls: what is drawn must be among them; a search finds the rest).
            shown = _shown_options(dash_duo)
            names = {o.rsplit(" (", 1)[0] for o in shown}
            assert names <= units and (names == units or len(names) >= 5), names - units
            assert not any("đã sáp nhập" in o for o in shown)
            for name, there in case.searches:
                found = {o.rsplit(" (", 1)[0] for o in _searched(dash_duo, name)}
                assert (name in found) == there, (name, found)


def test_a_unit_merged_away_is_listed_on_request_and_marked(
    dash_duo, demo_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=demo_url, instance_dir=tmp_path, demo_on_empty=False)
    dash_duo.start_server(create_app(settings), port=free_port())
    dash_duo.driver.set_window_size(1366, 768)
    # An Bình (10630) was merged into Xã An Phú on 1/7/2025: asked for by a link for Q3/2025,
    # the page lists the former units (marked) and says where its dossiers are counted.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/don-vi?ky=2025-Q3&ma=10630")
    dash_duo.wait_for_contains_text("#un-content", "Xã An Phú", timeout=30)
    assert "không phải đơn vị của kỳ báo cáo này" in dash_duo.find_element("#un-content").text
    assert dash_duo.find_element("#un-former").is_selected()
    shown = _shown_options(dash_duo)
    assert "An Bình (10630) — đơn vị cũ, đã sáp nhập" in shown
    # The first period of a city's data has nothing before it: no change is claimed.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?ky=2024-Q1")
    dash_duo.wait_for_element("[data-count=overdue]", timeout=30)
    cards = dash_duo.find_element("#ov-content").text
    assert "Kỳ trước chưa có dữ liệu" in cards and "so với kỳ trước" not in cards
