"""Soak: the meeting-room screen left running. Samples the page's JS heap (after a forced
garbage collection) and the server requests it makes, minute by minute.

    .venv/bin/python bench/soak_kiosk.py [--minutes 10] [--seconds-per-slide 3] [--refresh 20]

A fast rotation (3 s a slide, a data check every 20 s) packs hours of a normal screen (20 s a
slide, a check every 5 min) into the run. Healthy: the heap stays flat, and the server sees
one small callback per refresh and nothing per slide change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from werkzeug.serving import make_server


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="instance/tthc.sqlite3")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--seconds-per-slide", type=float, default=3)
    ap.add_argument("--refresh", type=float, default=20)
    args = ap.parse_args()

    from flask import request

    from dashboard.settings import Settings
    from dashboard.web.app import create_app

    instance = Path(tempfile.mkdtemp(prefix="tthc-soak-"))
    app = create_app(
        Settings(database_url=f"sqlite:///{Path(args.db).resolve()}", instance_dir=instance,
                 demo_on_empty=True)
    )  # fmt: skip
    calls = {"n": 0}
    lock = threading.Lock()

    @app.server.after_request
    def _count(response):
        if request.path.startswith("/_dash-update-component"):
            with lock:
                calls["n"] += 1
        return response

    server = make_server("127.0.0.1", 8097, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    opts = Options()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--window-size=1920,1080",
        "--js-flags=--expose-gc",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts)
    url = (
        f"http://127.0.0.1:8097/trinh-chieu?ky=2025-Q1&giay={args.seconds_per_slide}"
        f"&lam_moi={args.refresh}"
    )
    driver.get(url)
    time.sleep(10)
    rows = []
    started = time.perf_counter()
    minute = 0
    while time.perf_counter() - started < args.minutes * 60:
        time.sleep(60)
        minute += 1
        heap = driver.execute_script(
            "window.gc && window.gc(); return performance.memory.usedJSHeapSize;"
        )
        nodes = driver.execute_script("return document.getElementsByTagName('*').length;")
        slide = driver.execute_script("return document.body.getAttribute('data-kiosk-slide');")
        with lock:
            n, calls["n"] = calls["n"], 0
        rows.append((minute, heap / 1048576, nodes, n, slide))
        print(f"minute {minute}: heap {heap / 1048576:.1f} MiB, {nodes} nodes, "
              f"{n} callbacks, slide {slide}", flush=True)  # fmt: skip
    driver.quit()
    server.shutdown()
    first, last = rows[0], rows[-1]
    slides = args.minutes * 60 / args.seconds_per_slide
    print(
        f"\n{args.minutes:.0f} min, ~{slides:.0f} slide changes, refresh every "
        f"{args.refresh:.0f} s: heap {first[1]:.1f} → {last[1]:.1f} MiB, "
        f"DOM nodes {first[2]} → {last[2]}, "
        f"server callbacks per minute {min(r[3] for r in rows)}–{max(r[3] for r in rows)}"
        f" (a refresh costs 1 callback + the clientside ones cost none)."
    )


if __name__ == "__main__":
    main()
