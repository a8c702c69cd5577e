"""Benchmark: what the daily rhythm costs on top of the work it does.

    .venv/bin/python bench/bench_rhythm.py [--rows 200000] [--wakes 300]

1. The scheduler's idle wake (nothing due, the inbox empty) on the demo database: the cost of
   looking every TTHC_INBOX_MINUTES all day, against a bare `SELECT 1` round trip.
2. The 200 000-row export imported through the inbox (complete check, hash, import, record,
   move) against the same file imported by `tthc import`'s function, each in its own process
   on a fresh copy of the demo database, in the same run.
3. The 17:00 report and the morning digest of the demo's newest day (figures, .xlsx, charts).

The export and the base database come from bench/bench_import.py (bench/out/).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_import import build_files

OUT = Path(__file__).resolve().parent / "out"


def _settings(db: Path, inbox: Path | None = None, reports: Path | None = None):
    import dataclasses

    from dashboard.settings import Settings

    base = Settings.from_env({"DATABASE_URL": f"sqlite:///{db}", "TTHC_WARM_CACHE": "0"})
    return dataclasses.replace(
        base, inbox=inbox, inbox_settle_seconds=0, reports_dir=reports or db.parent / "bao-cao"
    )


def idle_wakes(db: Path, n: int) -> dict:
    """Mean milliseconds of a wake with nothing due, and of a bare round trip."""
    import datetime as dt

    from sqlalchemy import text

    from dashboard.rhythm import scheduler
    from dashboard.services import context
    from data_access.db import make_engine

    box = Path(tempfile.mkdtemp(prefix="inbox-"))
    settings = _settings(db, box)
    engine = make_engine(settings.database_url)
    now = dt.datetime(2026, 10, 30, 9, 0)
    with context.standalone(engine, settings):
        scheduler.wake(engine, settings, now, True)  # the start record, the morning's runs
        later = now + dt.timedelta(minutes=5)
        started = time.perf_counter()
        for i in range(n):
            scheduler.wake(engine, settings, later + dt.timedelta(seconds=i), True)
        wake_ms = (time.perf_counter() - started) / n * 1000
    with engine.connect() as conn:
        started = time.perf_counter()
        for _ in range(n):
            conn.execute(text("SELECT 1")).scalar()
        trip_ms = (time.perf_counter() - started) / n * 1000
    shutil.rmtree(box)
    return {"wake_ms": wake_ms, "select1_ms": trip_ms}


def child(mode: str, db: str, path: str) -> dict:
    """One import in this process: `direct` (import_file) or `inbox` (a pass over a folder
    holding the file)."""
    from data_access.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    if mode == "direct":
        from data_access.importer import import_file

        started = time.perf_counter()
        rep = import_file(engine, path, user="bench")
        seconds, status = time.perf_counter() - started, rep.status
    else:
        from dashboard.rhythm import inbox

        box = Path(tempfile.mkdtemp(prefix="inbox-"))
        shutil.copy(path, box / Path(path).name)
        started = time.perf_counter()
        done = inbox.run_pass(engine, _settings(Path(db), box), box)
        seconds = time.perf_counter() - started
        status = done.taken[0].status if done.taken else "nothing"
        shutil.rmtree(box)
    return {
        "seconds": seconds,
        "status": status,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_child(mode: str, base: Path, path: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.sqlite3"
        shutil.copy(base, db)
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(db), str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def reports(db: Path) -> dict:
    """Seconds of the 17:00 report and of the digest for the demo's newest day."""
    from dashboard.rhythm import jobs
    from dashboard.services import context
    from dashboard.services.figures import newest_day
    from data_access.db import make_engine

    out = Path(tempfile.mkdtemp(prefix="reports-"))
    settings = _settings(db, reports=out)
    engine = make_engine(settings.database_url)
    with context.standalone(engine, settings):
        day = newest_day()
        assert day is not None
        started = time.perf_counter()
        jobs.daily(engine, settings, day, False)
        daily_s = time.perf_counter() - started
        started = time.perf_counter()
        jobs.digest(engine, settings, day, False)
        digest_s = time.perf_counter() - started
    shutil.rmtree(out)
    return {"daily_s": daily_s, "digest_s": digest_s}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--wakes", type=int, default=300)
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    csv_path, _xlsx, base = build_files(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.sqlite3"
        shutil.copy(base, db)
        idle = idle_wakes(db, args.wakes)
        rep = reports(db)
    per_day = idle["wake_ms"] * 24 * 60 / 5 / 1000
    print(
        f"idle wake (nothing due, empty inbox): {idle['wake_ms']:.2f} ms "
        f"(a bare SELECT 1: {idle['select1_ms']:.3f} ms); every 5 minutes: {per_day:.2f} s a day"
    )
    print(
        f"17:00 report of the newest day: {rep['daily_s']:.2f} s; digest: {rep['digest_s']:.2f} s"
    )
    direct = [_run_child("direct", base, csv_path) for _ in range(2)]
    through = [_run_child("inbox", base, csv_path) for _ in range(2)]
    d = min(r["seconds"] for r in direct)
    i = min(r["seconds"] for r in through)
    assert all(r["status"] in ("committed", "imported") for r in direct + through), direct + through
    print(
        f"{args.rows:,} rows .csv: tthc import {d:.2f} s, through the inbox {i:.2f} s "
        f"(×{i / d:.3f}, +{i - d:.2f} s); peak {max(r['peak_mib'] for r in direct):.0f} → "
        f"{max(r['peak_mib'] for r in through):.0f} MiB (best of 2 each)"
    )


if __name__ == "__main__":
    main()
