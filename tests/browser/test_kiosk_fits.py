"""The meeting-room screen fits every display: at 1280×720, 1366×768, 1920×937 (a browser not in
full screen), 1920×1080 and 3840×2160, on every page of every slide, no text is clipped, falls
outside the viewport or overlaps other text, and text is at least 2.2 % of the viewport's
height. Across a slide's pages every unit it lists appears, whole, as often as the engine
lists it (issue 16: no unit is never shown)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import Engine

from dashboard.domain.periods import parse_period
from dashboard.domain.worktime import WorkCalendar
from dashboard.services import early_warning, report, standing
from tests.serving import free_port

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1366, 768), (1920, 937), (1920, 1080), (3840, 2160)]
Q1 = parse_period("2025-Q1")

# Every element holding text of its own, in the header, the footer and the active slide: its
# box, its font size, whether it is cut by the slide or the viewport, and which overlap.
CHECK = """
var vw = innerWidth, vh = innerHeight, problems = [];
var slide = document.querySelector('.kiosk-slide.active');
var limit = slide.getBoundingClientRect();
function visible(el) {
  for (var e = el; e; e = e.parentElement) {
    if (getComputedStyle(e).display === 'none') { return false; }
  }
  return true;
}
function texty(root) {
  var out = [];
  root.querySelectorAll('*').forEach(function (el) {
    var own = Array.prototype.some.call(el.childNodes, function (n) {
      return n.nodeType === 3 && n.textContent.trim();
    });
    if (own && visible(el) && !el.closest('svg')) { out.push(el); }
  });
  return out;
}
var inSlide = texty(slide);
var all = inSlide.concat(texty(document.querySelector('.kiosk-header')),
                         texty(document.querySelector('.kiosk-footer')));
all.forEach(function (el) {
  var r = el.getBoundingClientRect(), size = parseFloat(getComputedStyle(el).fontSize);
  var name = el.tagName + ' «' + el.textContent.trim().slice(0, 40) + '»';
  if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
    problems.push('outside the viewport: ' + name);
  }
  if (size < 0.022 * vh - 0.2) {
    problems.push('text ' + size + 'px < 2.2 % of ' + vh + ': ' + name);
  }
});
inSlide.forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.bottom > limit.bottom + 1 || r.right > limit.right + 1) {
    problems.push('cut by the slide: ' + el.textContent.trim().slice(0, 40));
  }
});
for (var i = 0; i < all.length; i++) {
  for (var j = i + 1; j < all.length; j++) {
    var a = all[i], b = all[j];
    if (a.contains(b) || b.contains(a)) { continue; }
    var p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
    var w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
    var h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > 1 && h > 1) {
      problems.push('overlap: «' + a.textContent.trim().slice(0, 30) + '» and «' +
                    b.textContent.trim().slice(0, 30) + '»');
    }
  }
}
// The gauges: each drawing inside its box, its number large enough; no tick labels, or ones
// of at least 1.6 % of the height.
slide.querySelectorAll('.kiosk-gauge').forEach(function (g) {
  var box = g.getBoundingClientRect(), svg = g.querySelector('.main-svg');
  if (!svg) { problems.push('gauge not drawn: ' + g.getAttribute('data-gauge')); return; }
  var s = svg.getBoundingClientRect();
  if (s.bottom > box.bottom + 1 || s.right > box.right + 1 || s.bottom > limit.bottom + 1) {
    problems.push('gauge drawing cut: ' + g.getAttribute('data-gauge'));
  }
  g.querySelectorAll('svg text').forEach(function (t) {
    var size = parseFloat(getComputedStyle(t).fontSize), r = t.getBoundingClientRect();
    var min = t.closest('.tick') || t.classList.contains('tick') ? 0.016 : 0.022;
    if (t.textContent.trim() && size < min * vh - 0.2) {
      problems.push('gauge text ' + size + 'px: ' + t.textContent);
    }
    if (t.textContent.trim() && (r.bottom > box.bottom + 1 || r.right > box.right + 1)) {
      problems.push('gauge text cut: ' + t.textContent);
    }
  });
});
var names = Array.prototype.filter.call(
  slide.querySelectorAll('tbody tr.kiosk-item'), visible
).map(function (tr) { return tr.querySelector('td:nth-child(' +
  (slide.getAttribute('data-slide') === 'xa' || slide.getAttribute('data-slide') === 'phong'
    ? 3 : 1) + ')').textContent; });
return [problems, names];
"""


def _page(driver) -> str:
    return driver.execute_script("return document.body.getAttribute('data-kiosk-page');")


def _expected(engine: Engine) -> dict[str, Counter]:
    league = {
        g: Counter(r.report.unit.name for r in standing.league(engine, Q1, g))
        for g in ("xa", "phong")
    }
    below = standing.below_target(engine, Q1)
    units = report.compute(engine, Q1).units
    problems = [
        u.unit.name
        for u in units
        if u.has_data
        and any(round(u.indicators[k].value or 0) for k in ("overdue", "paused", "returned"))
    ]
    w = early_warning.compute(engine, dt.date(2026, 10, 30), WorkCalendar())
    return {
        **league,
        "explain": Counter({r.unit.name: 1 for r in below}),
        "counts": Counter(problems),
        "warnings": Counter(u.unit.name for u in w.units if u.warned),
    }


def test_every_slide_fits_every_display(dash_duo, demo_app, demo_engine: Engine) -> None:
    expected = _expected(demo_engine)
    dash_duo.start_server(demo_app, port=free_port())
    driver = dash_duo.driver
    for width, height in SIZES:
        driver.set_window_size(width, height)
        inner = driver.execute_script("return [innerWidth, innerHeight];")
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/trinh-chieu?ky=2025-Q1&giay=600")
        assert driver.execute_script("return [innerWidth, innerHeight];") == [width, height]
        # Ready: every gauge drawn, the fonts in, the slides measured into pages for them.
        steps = until(
            lambda: driver.execute_script(
                "var k = window.tthcKiosk, g = document.querySelectorAll('.kiosk-gauge');"
                " var drawn = Array.prototype.every.call(g, function (x) {"
                "   return x.querySelector('.main-svg'); });"
                " return k && k.settled() && g.length && drawn ? k.steps() : null;"
            ),
            timeout=30,
        )
        ActionChains(driver).send_keys(Keys.SPACE).perform()  # hold the rotation
        dash_duo.wait_for_contains_text("#kiosk-progress", "Tạm dừng", timeout=5)
        assert steps[0] == "words:1" and "overview:1" in steps
        shown: dict[str, Counter] = {}
        for i, step in enumerate(steps):
            if i:
                ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
            until(lambda step=step: _page(driver) == step, timeout=5)
            problems, names = driver.execute_script(CHECK)
            assert problems == [], (width, height, step)
            key = step.split(":")[0]
            shown[key] = shown.get(key, Counter()) + Counter(names)
        for key, want in expected.items():
            assert shown.get(key, Counter()) == want, (width, height, key)
    assert dash_duo.get_logs() == []
