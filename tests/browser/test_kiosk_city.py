"""The meeting-room screen at the city scale (issue 24), on Thành phố Hải Phòng's 114 communes,
wards and special zones and on Nam Sách, at 1366×768 and 1920×1080: no slide's content runs off
the screen, no league slide is empty, the league's title names the kinds of unit the scope has,
one rotation lasts at most 5 minutes at the default pace, a long list becomes its first units
and "và N đơn vị khác" (the assessment's list of units owing explanations, the league), and a
district's lists stay whole.

Every expected number comes from the database (SQL on the units) or from `tthc assessment`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import create_engine, text

from dashboard import cli
from dashboard.settings import Settings
from dashboard.web.app import create_app
from tests.browser.test_kiosk_fits import CHECK
from tests.serving import free_port

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
FIVE_MINUTES = 300
# How the kinds of unit read in a title, in this order.
KIND_WORDS = {"commune": "xã", "ward": "phường", "town": "thị trấn", "special_zone": "đặc khu"}
OWED = "trường hợp chưa đạt chỉ tiêu phải giải trình"
PAGE = "return document.body.getAttribute('data-kiosk-page');"


@dataclass(frozen=True)
class Scope:
    """A monitoring scope as the test sees it: its TTHC_SCOPE, the unit whose receiving units
    it watches in the period, and the period."""

    name: str
    setting: str
    unit: str
    period: str
    end: str  # the period's last day: the units of the period are those valid on it


NAM_SACH = Scope("nam-sach", "nam-sach", "291", "2025-Q1", "2025-03-31")
CITY = Scope("city", "31", "31", "2026-Q3", "2026-09-30")  # the quarter the issue was seen on

# The active slide, the header and the footer: every element shown (outside the gauges'
# drawings, test_kiosk_fits.py's) inside the viewport, and the slide's inside the slide; what
# the slide shows: its title, its rows, "và N đơn vị khác" and its paragraphs.
READ = """
var slide = document.querySelector('.kiosk-slide.active');
var box = slide.getBoundingClientRect();
var screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
var problems = [];
function shown(el) {
  for (var e = el; e; e = e.parentElement) {
    if (getComputedStyle(e).display === 'none') { return false; }
  }
  return true;
}
function inside(el, limit, where) {
  var r = el.getBoundingClientRect();
  if (!r.width && !r.height) { return; }
  if (r.left < limit.left - 1 || r.top < limit.top - 1 || r.right > limit.right + 1 ||
      r.bottom > limit.bottom + 1) {
    problems.push(where + ': ' + el.tagName + ' «' + el.textContent.trim().slice(0, 50) + '» ' +
                  JSON.stringify([r.left, r.top, r.right, r.bottom]));
  }
}
slide.querySelectorAll('*').forEach(function (el) {
  if (el.closest('svg') || !shown(el)) { return; }
  inside(el, box, 'off the slide');
  inside(el, screen, 'off the screen');
});
document.querySelectorAll('.kiosk-header *, .kiosk-footer *').forEach(function (el) {
  if (shown(el)) { inside(el, screen, 'off the screen'); }
});
var more = slide.querySelector('.kiosk-more');
return {
  problems: problems,
  title: slide.querySelector('.kiosk-slide-title').firstChild.textContent,
  rows: Array.prototype.filter.call(slide.querySelectorAll('tbody tr'), shown).length,
  more: more && shown(more) ? more.textContent : null,
  words: Array.prototype.filter.call(slide.querySelectorAll('.kiosk-words'), shown)
    .map(function (p) { return p.textContent; })
};
"""


def _units(url: str, scope: Scope) -> dict[str, int]:
    """The scope's receiving units in the period, by kind, from the units table."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.kind, COUNT(*) FROM units u JOIN units p ON u.parent_id = p.id"
                " WHERE p.code = :code AND u.valid_from <= :end"
                " AND (u.valid_to IS NULL OR u.valid_to >= :end) GROUP BY u.kind"
            ),
            {"code": scope.unit, "end": scope.end},
        ).all()
    engine.dispose()
    return {kind: n for kind, n in rows}


def _owed(url: str, scope: Scope, tmp_path: Path, monkeypatch, capsys) -> str:
    """`tthc assessment`'s paragraph on the explanations owed, whole."""
    for name, value in {
        "DATABASE_URL": url,
        "TTHC_SCOPE": scope.setting,
        "TTHC_INSTANCE_DIR": str(tmp_path / "cli"),
        "TTHC_DEMO_ON_EMPTY": "0",
        "TTHC_WARM_CACHE": "0",
    }.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["assessment", "--period", scope.period, "--format", "json"]) == 0
    sections = json.loads(capsys.readouterr().out)
    return next(p for s in sections for p in s["paragraphs"] if OWED in p)


def _owing(paragraph: str) -> dict[str, int]:
    """Unit → indicators owed, from «… tại 114 đơn vị: Xã A (9 chỉ tiêu), Xã B (8 chỉ tiêu)»."""
    listed = paragraph.split(" đơn vị: ", 1)[1]
    return {name.strip(): int(n) for name, n in re.findall(r"([^,:]+?) \((\d+) chỉ tiêu\)", listed)}


def _walk(dash_duo, width: int, height: int, query: str) -> dict[str, list[dict]]:
    """Every step of the rotation at this size, read as READ reads it, by slide."""
    driver = dash_duo.driver
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [innerWidth, innerHeight];")
    driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
    # giay=600: the rotation holds still while the test reads it (the pace only: what is
    # shown follows the settings' seconds a slide).
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/trinh-chieu?{query}&giay=600")
    assert driver.execute_script("return [innerWidth, innerHeight];") == [width, height]
    steps = until(
        lambda: driver.execute_script(
            "var k = window.tthcKiosk, g = document.querySelectorAll('.kiosk-gauge');"
            " var drawn = Array.prototype.every.call(g, function (x) {"
            "   return x.querySelector('.main-svg'); });"
            " return k && k.settled() && g.length && drawn ? k.steps() : null;"
        ),
        timeout=30,
    )
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    dash_duo.wait_for_contains_text("#kiosk-progress", "Tạm dừng", timeout=5)
    slides: dict[str, list[dict]] = {}
    for i, step in enumerate(steps):
        if i:
            ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        until(lambda step=step: driver.execute_script(PAGE) == step, timeout=5)
        page = driver.execute_script(READ)
        assert page["problems"] == [], (width, height, step, page["problems"])
        # And test_kiosk_fits.py's own measure: no text cut, overlapping or too small.
        assert driver.execute_script(CHECK)[0] == [], (width, height, step)
        slides.setdefault(step.split(":")[0], []).append(page)
    return slides


def test_the_wall_at_the_city_scale(
    dash_duo, demo_url: str, city_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    cases = [(CITY, city_url, free_port()), (NAM_SACH, demo_url, free_port())]
    # What the wall should say, before any server prints on the captured output.
    said_by_cli = {
        scope: _owed(url, scope, tmp_path, monkeypatch, capsys) for scope, url, _ in cases
    }
    for scope, url, port in cases:
        units = _units(url, scope)
        communes = sum(n for kind, n in units.items() if kind in KIND_WORDS)
        owed = said_by_cli[scope]
        owing = _owing(owed)
        assert len(owing) == int(re.search(r"tại (\d+) đơn vị", owed).group(1))
        settings = Settings(
            database_url=url, instance_dir=tmp_path, demo_on_empty=False, scope=scope.setting
        )
        if dash_duo.server.started:  # one browser, one server at a time: the next scope's
            dash_duo.server.stop()
        dash_duo.start_server(create_app(settings), port=port)
        for width, height in SIZES:
            where = (scope.name, width, height)
            slides = _walk(dash_duo, width, height, f"ky={scope.period}")
            pages = sum(len(p) for p in slides.values())
            # One rotation at the default pace: at most 5 minutes.
            assert pages * settings.kiosk_slide_seconds <= FIVE_MINUTES, (where, pages)
            # The league: named after the kinds the scope has, never empty, every unit on some
            # page or the first ones and "và N đơn vị khác".
            title = "Bảng xếp hạng " + ", ".join(w for k, w in KIND_WORDS.items() if k in units)
            league = slides["xa"]
            assert {p["title"] for p in league} == {title}, where
            assert all(p["rows"] for p in league), where
            others = [
                int(re.fullmatch(r"và (\d+) đơn vị khác", p["more"]).group(1))
                for p in league
                if p["more"]
            ]
            assert sum(p["rows"] for p in league) + sum(others) == communes, where
            # A department league only where the scope has departments, and never empty.
            assert ("phong" in slides) == bool(units.get("department")), where
            assert all(p["rows"] for p in slides.get("phong", [])), where
            # The assessment's list of units owing explanations: a district's whole, as
            # `tthc assessment` says it; a city's its first units, the most owed first.
            said = [w for p in slides["words"] for w in p["words"] if OWED in w]
            assert len(said) == 1, where
            if scope is NAM_SACH:
                assert said[0] == owed, where
                assert not others, where
            else:
                named = _owing(said[0])
                rest = re.search(r" và (\d+) đơn vị khác\.$", said[0])
                assert rest and 0 < len(named) <= 10, (where, said[0][-200:])
                assert len(named) + int(rest.group(1)) == len(owing), where
                assert all(owing[u] == n for u, n in named.items()), where
                left_out = [n for u, n in owing.items() if u not in named]
                assert min(named.values()) >= max(left_out), where
                assert others, where  # 114 units: the league's head and foot
    assert dash_duo.get_logs() == []
