"""Benchmark: the dashboard pages in headless Chromium at about a million dossiers.

    DATABASE_URL=sqlite:///bench/out/demo-1m.sqlite3 .venv/bin/tthc demo-data --scale 5
    .venv/bin/python bench/bench_pages.py [--db bench/out/demo-1m.sqlite3]

For each page it loads a view, then changes a filter (a period not seen yet) and changes it
back (seen: served from the cache). For every step it reports the server time (the longest
callback and the sum of the callbacks the step caused, timed inside the app) and the time until
the page has settled in the browser (the expected heading shown and Dash idle). The same run
repeats everything with the cache switched off (NullCache) as the baseline.
Targets: ≤ 1.5 s to settle (issue 5); server time ≤ 100 ms for a period seen before and
≤ 400 ms for one never asked for (issue 14; `bench_entries.py` measures that without a browser).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from werkzeug.serving import make_server

BUSY_TITLE = "Đang cập nhật…"


class Timings:
    """Durations of the app's callback requests, recorded inside the server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[float] = []

    def take(self) -> list[float]:
        with self.lock:
            out, self.items = self.items, []
        return out


def serve(db: Path, cache_type: str, port: int, warm: bool = False) -> tuple[object, Timings]:
    """The real app on 127.0.0.1 in a thread, with callback timing hooks."""
    from flask import g, request

    from dashboard.settings import Settings
    from dashboard.web.app import create_app

    instance = Path(tempfile.mkdtemp(prefix="tthc-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{db}",
        instance_dir=instance,
        demo_on_empty=False,
        cache_type=cache_type,
        cache_dir=instance / "cache",
    )
    app = create_app(settings)
    if warm:
        from dashboard.web import warmup

        started = time.perf_counter()
        warmup.warm(app.server)  # what `tthc run` does in the background at start
        print(f"warm-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    timings = Timings()

    @app.server.before_request
    def _start() -> None:
        g.bench_started = time.perf_counter()

    @app.server.after_request
    def _stop(response):
        if request.path.startswith("/_dash-update-component"):
            with timings.lock:
                timings.items.append(time.perf_counter() - g.bench_started)
        return response

    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, timings


def browser() -> webdriver.Chrome:
    opts = Options()
    opts.add_argument("--headless=new")
    opts.add_argument("--no-sandbox")
    opts.add_argument("--window-size=1366,900")
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=opts)


def settle(driver: webdriver.Chrome, selector: str, text: str, timeout: float = 60) -> float:
    """Seconds until `selector` shows `text` and Dash has no callback in flight."""
    started = time.perf_counter()
    quiet_since = None
    while time.perf_counter() - started < timeout:
        done = driver.execute_script(
            "var el = document.querySelector(arguments[0]);"
            "return !!el && el.textContent.indexOf(arguments[1]) >= 0"
            " && document.title !== arguments[2];",
            selector,
            text,
            BUSY_TITLE,
        )
        now = time.perf_counter()
        if done:
            # Idle for 150 ms: no chained callback started after the text appeared.
            quiet_since = quiet_since or now
            if now - quiet_since >= 0.15:
                return quiet_since - started
        else:
            quiet_since = None
        time.sleep(0.02)
    raise TimeoutError(f"{selector} never showed {text!r}")


def choose(driver: webdriver.Chrome, dropdown: str, label: str) -> None:
    """Pick `label` in a Dash dropdown, as a user does."""
    driver.find_element(By.CSS_SELECTOR, dropdown).click()
    driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-search").send_keys(label)
    time.sleep(0.2)  # the list filters as the user types
    for option in driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"):
        if option.text == label:
            option.click()
            return
    raise LookupError(f"{label} not in {dropdown}")


# page, URL, heading selector and text, then the filter change: dropdown, label, new heading
SCENARIOS = [
    (
        "Tổng quan",
        "/?ky=2025-Q1",
        "#ov-content h1",
        "Quý I/2025",
        "#ov-period",
        "Tháng 2/2025",
        "Tháng 2/2025",
    ),
    (
        "Bảng xếp hạng",
        "/xep-hang?ky=2025-Q1",
        "#lg-content",
        "Hạng",
        "#lg-period",
        "Tháng 5/2025",
        "Hạng",
    ),
    (
        "Đơn vị",
        "/don-vi?ky=2025-Q1&ma=10657",
        "#un-content h1",
        "Quý I/2025",
        "#un-period",
        "Tháng 4/2025",
        "Tháng 4/2025",
    ),
    (
        "Phải giải trình",
        "/giai-trinh?ky=2025-Q1",
        "#ex-summary",
        "Quý I/2025",
        "#ex-period",
        "Quý II/2025",
        "Quý II/2025",
    ),
]


def run(
    db: Path, cache_type: str, port: int, warm: bool = False
) -> list[tuple[str, str, float, float, float]]:
    server, timings = serve(db, cache_type, port, warm)
    driver = browser()
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        driver.get(base + "/du-lieu")  # warm the browser's script cache: not a page we time
        time.sleep(3)
        for name, url, sel, text, dropdown, label, new_text in SCENARIOS:
            timings.take()
            driver.get(base + url)
            t = settle(driver, sel, text)
            rows.append((name, "mở trang", t, *_server(timings.take())))
            choose(driver, dropdown, label)
            t = settle(driver, sel, new_text)
            rows.append((name, f"đổi kỳ → {label}", t, *_server(timings.take())))
            back = {"#ov-period": "Quý I/2025"}.get(dropdown, "Quý I/2025")
            choose(driver, dropdown, back)
            t = settle(driver, sel, text if sel != "#lg-content" else "Hạng")
            rows.append((name, f"đổi lại → {back}", t, *_server(timings.take())))
    finally:
        driver.quit()
        server.shutdown()
    return rows


def _server(items: list[float]) -> tuple[float, float]:
    return (max(items, default=0.0), sum(items))


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench/out/demo-1m.sqlite3")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        sys.exit(f"{db} is missing: DATABASE_URL=sqlite:///{db} .venv/bin/tthc demo-data --scale 5")
    from sqlalchemy import create_engine, func, select

    from data_access.models import Dossier

    n = create_engine(f"sqlite:///{db}").connect().execute(select(func.count(Dossier.id))).scalar()
    warmed = run(db, "SimpleCache", 8091, warm=True)
    cold = run(db, "SimpleCache", 8093)
    baseline = run(db, "NullCache", 8092)
    print(f"\n{n:,} dossiers (SQLite); Chromium headless 1366×900")
    print("Each cell: settle in the browser (s) / longest callback (ms) / all callbacks (ms)\n")
    print("| page | step | cache warmed at start | cache cold | no cache (baseline) |")
    print("|---|---|---|---|---|")

    def cell(r: tuple) -> str:
        return f"{r[2]:.2f} / {r[3] * 1000:.0f} / {r[4] * 1000:.0f}"

    for w, c, b in zip(warmed, cold, baseline, strict=True):
        print(f"| {w[0]} | {w[1]} | {cell(w)} | {cell(c)} | {cell(b)} |")
    for label, rows in (("warmed", warmed), ("cold", cold), ("no cache", baseline)):
        changes = [r for r in rows if r[1] != "mở trang"]
        print(
            f"\n{label}: filter changes settle median "
            f"{statistics.median(r[2] for r in changes):.2f} s, max "
            f"{max(r[2] for r in changes):.2f} s (target ≤ 1.5 s); longest callback max "
            f"{max(r[3] for r in changes) * 1000:.0f} ms (target ≤ 400 ms cold, ≤ 100 ms seen)."
        )


if __name__ == "__main__":
    main()
