"""Benchmark: the early warning at about 1 and 5 million dossiers.

    DATABASE_URL=sqlite:///bench/out/demo-1m.sqlite3 .venv/bin/tthc demo-data --scale 5
    DATABASE_URL=sqlite:///bench/out/demo-5m.sqlite3 .venv/bin/tthc demo-data --scale 25
    .venv/bin/python bench/bench_warnings.py [--db1 …] [--db5 …]

Reports, for each database: the /canh-bao page's server time for the whole scope (its
callback: entry, cache, layout), cold and warm; `tthc warnings` as a user runs it (a new
process, wall time) and its work inside (the entry, no cache); and the query for the open
dossiers with the index (`ix_dossiers_open`) against the same query made to read the whole
table (`NOT INDEXED`), the baseline in the same run.
Targets (issue 13): the page ≤ 300 ms at 1 million, `tthc warnings` ≤ 1 s at 5 million.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.services import warning_view

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE_TARGET_MS, CLI_TARGET_S = 300, 1.0
OPEN_SQL = """
SELECT count(*) FROM dossiers {hint}
WHERE (finished_at IS NULL OR finished_at >= :after) AND received_at < :after
  AND status NOT IN ('new', 'not_accepted')
"""


def page_times(db: Path) -> tuple[float, float, int]:
    """(cold ms, warm ms, rows listed) of the page's callback on a fresh app."""
    import callbacks.warnings as page
    from dashboard.settings import Settings
    from dashboard.web.app import create_app

    app = create_app(
        Settings(
            database_url=f"sqlite:///{db}",
            instance_dir=Path(tempfile.mkdtemp(prefix="tthc-bench-")),
            demo_on_empty=False,
            warm_cache=False,
        )
    )
    with app.server.test_request_context("/"):
        as_of, *_ = page.fill_options("cb-as-of", "")
        times = []
        for _ in range(2):
            started = time.perf_counter()
            page.show(as_of, [], [], [], 2)
            times.append((time.perf_counter() - started) * 1000)
        from dashboard.domain.query import ViewQuery
        from dashboard.services import warning_view

        n = len(warning_view.warnings(ViewQuery(as_of=as_of)).warnings.dossiers)
    return times[0], times[1], n


def cli_times(db: Path, runs: int = 3) -> tuple[float, float]:
    """(median wall s of `tthc warnings --format csv` in a new process, median s inside)."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", TTHC_DEMO_ON_EMPTY="0")
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/tthc"), "warnings", "--format", "csv"],
            env=env,
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - started)
    from dashboard.domain.query import ViewQuery
    from dashboard.services import context
    from dashboard.settings import Settings
    from data_access.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    settings = Settings(database_url=f"sqlite:///{db}", instance_dir=Path(tempfile.mkdtemp()))
    inside = []
    for _ in range(runs):
        with context.standalone(engine, settings):  # a new cache each time, as a command has
            started = time.perf_counter()
            warning_view.warnings(ViewQuery(), outlook=False)  # what the command computes
            inside.append(time.perf_counter() - started)
    return statistics.median(walls), statistics.median(inside)


def query_times(db: Path) -> tuple[float, float, int]:
    """(ms with the index, ms reading the whole table, open dossiers) on the newest day."""
    conn = sqlite3.connect(db)
    (newest,) = conn.execute("SELECT max(received_at) FROM dossiers").fetchone()
    after = (dt.date.fromisoformat(newest[:10]) + dt.timedelta(days=1)).isoformat()
    out = []
    for hint in ("INDEXED BY ix_dossiers_open", "NOT INDEXED"):
        started = time.perf_counter()
        (n,) = conn.execute(OPEN_SQL.format(hint=hint), {"after": after}).fetchone()
        out.append((time.perf_counter() - started) * 1000)
    return out[0], out[1], n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db1", default="bench/out/demo-1m.sqlite3")
    ap.add_argument("--db5", default="bench/out/demo-5m.sqlite3")
    args = ap.parse_args()
    print(
        "| database | dossiers | open on the newest day | query: index / whole table | "
        "page cold / warm | `tthc warnings`: wall / inside |"
    )
    print("|---|---|---|---|---|---|")
    for name in (args.db1, args.db5):
        db = Path(name)
        if not db.exists():
            print(f"| {db} | missing: see the docstring | | | | |")
            continue
        (total,) = sqlite3.connect(db).execute("SELECT count(*) FROM dossiers").fetchone()
        cold, warm, listed = page_times(db)  # first: opening the app migrates (the index)
        with_index, whole, n_open = query_times(db)
        wall, inside = cli_times(db)
        print(
            f"| {db.name} | {total:,} | {n_open:,} ({listed:,} warned) | "
            f"{with_index:.1f} / {whole:.0f} ms | {cold:.0f} / {warm:.0f} ms | "
            f"{wall:.2f} / {inside:.2f} s |"
        )
    print(
        f"\nTargets: the page ≤ {PAGE_TARGET_MS} ms at 1 million (cold), "
        f"`tthc warnings` ≤ {CLI_TARGET_S:.0f} s at 5 million."
    )


if __name__ == "__main__":
    main()
