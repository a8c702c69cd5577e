"""Benchmark: a city office (Thành phố Hải Phòng, 114 communes and wards) on PostgreSQL.

    .venv/bin/python bench/bench_city.py [--scale 1.5] [--repeat 7]

Builds once (bench/out/city-<scale>.sqlite3) the city's demo data: every commune, ward and
special zone from 1/7/2025 to 31/10/2026 at about 1.5 million dossiers a year per --scale 1
(`tthc demo-data --scope 31`), copies it into a PostgreSQL server started here on 127.0.0.1,
then measures, warm (median of --repeat) and cold (first call):
- all indicators for all 114 units and the city (month, quarter, year);
- the league of communes and wards, with movement against the previous period;
- the server time of a filter change on the overview, league and below-target pages (the
  callbacks the browser calls, through the app's cache), for periods not asked for before
  (cold) and again (warm).
The targets (the two-tier map issue): indicators ≤ 100 ms, league ≤ 150 ms, a filter change
≤ 300 ms server time. The same run prints the SQLite figures as the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import at_newest_schema

OUT = Path(__file__).resolve().parent / "out"
PERIODS = ("2026-09", "2026-Q3", "2026")
PAGE_PERIODS = ("2026-08", "2026-Q2", "2025-Q4")


def build(scale: float) -> Path:
    """The city's demo database on SQLite, built once."""
    path = OUT / f"city-{scale:g}.sqlite3"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{path}", TTHC_DEMO_ON_EMPTY="0")
        subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "demo-data", "--scope", "31",
             "--scale", str(scale)],
            check=True, env=env,
        )  # fmt: skip
    at_newest_schema(f"sqlite:///{path}")
    return path


def timed(fn, repeat: int) -> tuple[float, float]:
    """(first call, median of `repeat` further calls) in milliseconds."""
    t = time.perf_counter()
    fn()
    first = (time.perf_counter() - t) * 1000
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return first, statistics.median(runs)


def measure(url: str, label: str, repeat: int) -> list[tuple]:
    from dashboard.domain.periods import parse_period
    from dashboard.domain.scope import load_scope
    from dashboard.services import report, standing
    from dashboard.settings import Settings
    from dashboard.web.app import create_app
    from data_access.db import make_engine

    engine = make_engine(url)
    scope = load_scope("31")
    rows = []
    for key in PERIODS:
        p = parse_period(key)
        first, warm = timed(lambda p=p: report.compute(engine, p, scope=scope), repeat)
        n = len(report.compute(engine, p, scope=scope).units)
        rows.append((label, f"indicators, {n} units + city", key, first, warm, 100))
        first, warm = timed(lambda p=p: standing.league(engine, p, "xa", scope=scope), repeat)
        rows.append((label, "league (with movement)", key, first, warm, 150))
    app = create_app(
        Settings(
            database_url=url,
            instance_dir=OUT / "city-instance",
            demo_on_empty=False,
            warm_cache=False,
            scope="31",
        )
    )
    import callbacks.explain
    import callbacks.league
    import callbacks.overview

    pages = (
        ("overview", lambda k: callbacks.overview.show(k, [], [])),
        ("league", lambda k: callbacks.league.show(k, None, [], "xa")),
        ("below target", lambda k: callbacks.explain.show(k, False, 0)),
    )
    with app.server.test_request_context("/"):
        for name, show in pages:
            for key in PAGE_PERIODS:
                first, warm = timed(lambda show=show, key=key: show(key), repeat)
                rows.append((label, f"page: {name} (filter change)", key, first, warm, 300))
    # The same pages on a fresh server once its background warm-up has run (what a user
    # meets: every month, quarter and year of the chooser computed after a start or an import).
    from dashboard.web import warmup

    fresh = create_app(
        Settings(
            database_url=url,
            instance_dir=OUT / "city-instance",
            demo_on_empty=False,
            warm_cache=False,
            scope="31",
        )
    )
    t = time.perf_counter()
    warmup.warm(fresh.server)
    rows.append(
        (
            label,
            "warm-up after a start (background)",
            "all",
            (time.perf_counter() - t) * 1000,
            0.0,
            0,
        )
    )
    with fresh.server.test_request_context("/"):
        for name, show in pages:
            for key in (*PAGE_PERIODS, "2025-10", "2025"):
                first, warm = timed(lambda show=show, key=key: show(key), repeat)
                rows.append(
                    (label, f"page: {name}, first look after warm-up", key, first, warm, 300)
                )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.5)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    path = build(args.scale)
    sqlite_url = f"sqlite:///{path.resolve()}"
    from bench.bench_indicators import copy_to_postgres, dossier_count
    from tests.pg_server import PostgresServer

    print(f"dossiers: {dossier_count(sqlite_url):,}", flush=True)
    rows = []
    server = PostgresServer()
    server.start()
    try:
        pg_url = server.create_database("city")
        t = time.perf_counter()
        copy_to_postgres(sqlite_url, pg_url)  # units, ids and all
        print(f"postgres copy + rollups: {time.perf_counter() - t:.0f} s", flush=True)
        rows += measure(pg_url, "PostgreSQL", args.repeat)
    finally:
        server.stop()
    rows += measure(sqlite_url, "SQLite (baseline)", args.repeat)
    print("\n| db | what | period | cold (first call) | warm (median) | target |")
    print("|---|---|---|---|---|---|")
    for db, what, key, first, warm, target in rows:
        print(f"| {db} | {what} | {key} | {first:.0f} ms | {warm:.1f} ms | ≤ {target} ms |")


if __name__ == "__main__":
    main()
