"""Benchmark: concurrent users against the production server (waitress) at ~1 M dossiers.

    .venv/bin/python bench/bench_load.py [--db bench/out/demo-1m.sqlite3] [--actions 30]

Starts `tthc serve --production` on 127.0.0.1 (FileSystemCache, warm-up on, an office account),
then for 10, 25 and 50 simulated users runs a bounded loop per user: log in, then a mix of page
loads (the page, its layout and dependency list, and the page's callbacks) and filter changes
(one callback with another period, unit or ranking). It reports throughput, latency
percentiles of every HTTP request, and errors. The baseline in the same run is one user alone.
Target (issue 7): p95 ≤ 500 ms at 25 users, no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cluster_load import callback_body

PORT = 8095
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "mat-khau-do-tai-1"
PERIODS = ["2025-Q1", "2025-Q2", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
UNITS = ["10657", "10612", "10609", "10630", "10636", "10639", "291-NNMT"]
# page path -> (its main callback's first output, inputs maker)
PAGES = {
    "/": (
        "ov-content",
        lambda r: {"ov-period": r.choice(PERIODS), "ov-units": [], "ov-fields": []},
    ),
    "/xep-hang": (
        "lg-content",
        lambda r: {
            "lg-period": r.choice(PERIODS),
            "lg-by": r.choice(["", "online_payment", "on_time"]),
            "lg-fields": [],
            "lg-group": r.choice(["xa", "phong"]),
        },
    ),
    "/don-vi": (
        "un-content",
        lambda r: {"un-period": r.choice(PERIODS), "un-unit": r.choice(UNITS)},
    ),
    "/giai-trinh": (
        "ex-content",
        lambda r: {"ex-period": r.choice(PERIODS[:2]), "ex-streak-only": False, "ex-saved": 0},
    ),
}


def ensure_account(db: Path) -> None:
    from sqlalchemy import create_engine, select

    from data_access import accounts
    from data_access.db import migrate
    from data_access.models import User

    engine = create_engine(f"sqlite:///{db}")
    migrate(engine)
    with engine.begin() as conn:
        if conn.execute(select(User.id).where(User.username == "bench")).first() is None:
            accounts.add_user(conn, "bench", PASSWORD, "van_phong")


def start_server(db: Path, instance: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        TTHC_INSTANCE_DIR=str(instance),
        TTHC_CACHE_TYPE="FileSystemCache",
        TTHC_DEMO_ON_EMPTY="0",
        TTHC_WARM_CACHE="1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--production", "--port", str(PORT),
         "--threads", "16"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(300):
        try:
            if requests.get(BASE + "/healthz", timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


class User(threading.Thread):
    """One simulated person: logs in, then loads pages and changes filters."""

    def __init__(
        self,
        seed: int,
        actions: int,
        deps: list[dict],
        out: list,
        errors: list,
        think: float = 1.0,
    ) -> None:
        super().__init__(daemon=True)
        self.think = think
        self.rnd = random.Random(seed)
        self.actions, self.deps, self.out, self.errors = actions, deps, out, errors
        self.http = requests.Session()

    def _timed(self, method: str, path: str, **kw) -> requests.Response | None:
        started = time.perf_counter()
        try:
            res = self.http.request(method, BASE + path, timeout=60, **kw)
        except requests.RequestException as exc:
            self.errors.append(f"{path}: {exc.__class__.__name__}")
            return None
        self.out.append(time.perf_counter() - started)
        if res.status_code >= 400:
            self.errors.append(f"{path}: {res.status_code}")
        return res

    def login(self) -> None:
        page = self.http.get(BASE + "/dang-nhap", timeout=30).text
        csrf = re.search(r"name='csrf' value='([^']+)'", page).group(1)
        self.http.post(
            BASE + "/dang-nhap",
            data={"username": "bench", "password": PASSWORD, "csrf": csrf},
            timeout=30,
        )

    def _callback(self, first_output: str, values: dict, state: dict | None = None) -> None:
        body = callback_body(self.deps, first_output, values, state)
        self._timed("POST", "/_dash-update-component", json=body)

    def run(self) -> None:
        self.login()
        for _ in range(self.actions):
            # A person reads the screen between two clicks (uniform, mean `think` seconds).
            time.sleep(self.rnd.uniform(0.5, 1.5) * self.think)
            path = self.rnd.choice(list(PAGES))
            output, make = PAGES[path]
            values = make(self.rnd)
            if self.rnd.random() < 0.35:  # a page load, as the browser makes it
                self._timed("GET", path)
                self._timed("GET", "/_dash-layout")
                self._timed("GET", "/_dash-dependencies")
                self._callback("shell-district", {"url": path})
                prefix = output.split("-")[0]
                period = next(v for k, v in values.items() if k.endswith("-period"))
                self._callback(f"{prefix}-period", {f"{prefix}-period": f"{prefix}-period"},
                               {"url": f"?ky={period}"})  # fmt: skip
            self._callback(output, values)


def run_level(users: int, actions: int, deps: list[dict], think: float) -> dict:
    out: list[float] = []
    errors: list[str] = []
    crowd = [User(1000 * users + i, actions, deps, out, errors, think) for i in range(users)]
    started = time.perf_counter()
    for u in crowd:
        u.start()
    for u in crowd:
        u.join()
    seconds = time.perf_counter() - started
    q = statistics.quantiles(out, n=100)
    return {
        "users": users,
        "requests": len(out),
        "seconds": seconds,
        "rps": len(out) / seconds,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "errors": errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench/out/demo-1m.sqlite3")
    ap.add_argument("--actions", type=int, default=30)
    ap.add_argument("--think", type=float, default=1.0, help="mean seconds between actions")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        sys.exit(
            f"{db} is missing: DATABASE_URL=sqlite:///{db} .venv/bin/tthc demo-data --scale 10"
        )
    ensure_account(db)
    instance = Path(__file__).resolve().parent / "out" / "load-instance"
    proc = start_server(db, instance)
    try:
        probe = User(0, 0, [], [], [])
        probe.login()
        deps = json.loads(probe.http.get(BASE + "/_dash-dependencies", timeout=30).text)
        time.sleep(20)  # let the start-up warm-up finish, as a real server would have
        results = [run_level(n, args.actions, deps, args.think) for n in (1, 10, 25, 50)]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(
        f"\nwaitress, 16 threads, SQLite, {args.actions} actions a user (35 % page loads), "
        f"{args.think:.1f} s mean pause between actions\n"
    )
    print("| users | requests | seconds | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['users']} | {r['requests']} | {r['seconds']:.1f} | {r['rps']:.1f} | "
            f"{r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {len(r['errors'])} |"
        )
    for r in results:
        if r["errors"]:
            print(f"errors at {r['users']} users (first 5): {r['errors'][:5]}")
    print("\nThe 1-user row is the baseline: the same requests without contention.")


if __name__ == "__main__":
    main()
