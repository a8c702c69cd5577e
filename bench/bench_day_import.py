"""Benchmark: a day's export (2 000 new dossiers) imported into the 5-million database.

    .venv/bin/python bench/bench_day_import.py [--db bench/out/demo-5m.sqlite3] [--rows 2000]

Each run imports into a fresh copy of the database (the rollups, the per-unit daily table and
the month-end totals kept in step in the same transaction) and reports wall time. Target
(issue 17): ≤ 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_import import OUT, build_files, run_child


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench/out/demo-5m.sqlite3")
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    csv_path, _xlsx, _base = build_files(args.rows)
    times = []
    for _ in range(args.runs):
        work = OUT / "work-day.sqlite3"
        shutil.copy(args.db, work)
        result = run_child(work, csv_path)
        assert result["status"] == "committed", result
        times.append(result["seconds"])
        print(
            f"{args.rows} rows into {args.db}: {result['seconds']:.2f} s, "
            f"new {result['inserted']}, peak {result['peak_mib']:.0f} MiB",
            flush=True,
        )
    print(f"median {statistics.median(times):.2f} s (target ≤ 2 s)")


if __name__ == "__main__":
    main()
