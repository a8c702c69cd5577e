"""Benchmark: the server time of a filter change on the four filtered pages, at about a
million dossiers, without a browser.

    DATABASE_URL=sqlite:///bench/out/demo-1m.sqlite3 .venv/bin/tthc demo-data --scale 5
    .venv/bin/python bench/bench_entries.py [--db bench/out/demo-1m.sqlite3]

Each step calls the page's own callback (the entry, the cache and the layout: what Dash runs
when a filter changes) in the order a user would, twice: "cold" is the first time this view
is asked for (other views and periods seen before stay cached, as on a running server),
"warm" the second. The baseline in the same run is the same steps with no cache (NullCache).
Targets (issue 14): ≤ 100 ms warm and ≤ 400 ms cold per filter change.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WARM_TARGET_MS, COLD_TARGET_MS = 100, 400


def steps() -> list[tuple[str, str, Callable[[], object]]]:
    """(page, step, the callback call) in a user's order: the newest month, the month
    before, a quarter across the 1/7/2025 merger, one unit, one field, the ranking indicator."""
    import callbacks.explain as ex
    import callbacks.league as lg
    import callbacks.overview as ov
    import callbacks.unit as un

    return [
        ("Tổng quan", "mở: Tháng 10/2026", lambda: ov.show("2026-10", [], [])),
        ("Tổng quan", "→ Tháng 9/2026", lambda: ov.show("2026-09", [], [])),
        ("Tổng quan", "→ Quý III/2025 (qua sáp nhập)", lambda: ov.show("2025-Q3", [], [])),
        ("Tổng quan", "→ một xã", lambda: ov.show("2025-Q3", ["10606"], [])),
        ("Tổng quan", "→ một lĩnh vực", lambda: ov.show("2025-Q3", ["10606"], ["Hộ tịch"])),
        ("Tổng quan", "→ khoảng ngày", lambda: ov.show("2026-08-15:2026-10-15", [], [])),
        ("Xếp hạng", "mở: Tháng 10/2026", lambda: lg.show("2026-10", None, [], "xa")),
        ("Xếp hạng", "→ theo chỉ số", lambda: lg.show("2026-10", "online_payment", [], "xa")),
        ("Xếp hạng", "→ Tháng 9/2026", lambda: lg.show("2026-09", "online_payment", [], "xa")),
        ("Xếp hạng", "→ Quý III/2025", lambda: lg.show("2025-Q3", None, [], "xa")),
        ("Xếp hạng", "→ một lĩnh vực", lambda: lg.show("2025-Q3", None, ["Hộ tịch"], "xa")),
        ("Đơn vị", "mở: Xã Nam Sách, 10/2026", lambda: un.show("2026-10", "10606")),
        ("Đơn vị", "→ Tháng 9/2026", lambda: un.show("2026-09", "10606")),
        ("Đơn vị", "→ Quý III/2025", lambda: un.show("2025-Q3", "10606")),
        ("Đơn vị", "→ xã khác", lambda: un.show("2025-Q3", "10642")),
        ("Giải trình", "mở: Tháng 10/2026", lambda: ex.show("2026-10", False, 0)),
        ("Giải trình", "→ chỉ nhiều kỳ", lambda: ex.show("2026-10", True, 0)),
        ("Giải trình", "→ Tháng 9/2026", lambda: ex.show("2026-09", False, 0)),
        ("Giải trình", "→ Quý III/2025", lambda: ex.show("2025-Q3", False, 0)),
    ]


def run(db: Path, cache_type: str) -> list[tuple[str, str, float, float]]:
    """(page, step, first call ms, second call ms) for every step, on a fresh app."""
    from dashboard.settings import Settings
    from dashboard.web.app import create_app

    instance = Path(tempfile.mkdtemp(prefix="tthc-bench-"))
    app = create_app(
        Settings(
            database_url=f"sqlite:///{db}",
            instance_dir=instance,
            demo_on_empty=False,
            cache_type=cache_type,
            warm_cache=False,
        )
    )
    out = []
    with app.server.test_request_context("/"):
        for page, step, call in steps():
            times = []
            for _ in range(2):
                started = time.perf_counter()
                call()
                times.append((time.perf_counter() - started) * 1000)
            out.append((page, step, times[0], times[1]))
    return out


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message=".*NullCache.*")
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench/out/demo-1m.sqlite3")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        sys.exit(f"{db} is missing: DATABASE_URL=sqlite:///{db} .venv/bin/tthc demo-data --scale 5")
    from sqlalchemy import create_engine, func, select

    from data_access.models import Dossier

    n = create_engine(f"sqlite:///{db}").connect().execute(select(func.count(Dossier.id))).scalar()
    cached = run(db, "SimpleCache")
    baseline = run(db, "NullCache")
    print(f"\n{n:,} dossiers (SQLite); server time of the page's callback, ms\n")
    print("| page | step | cold | warm | no cache (baseline) |")
    print("|---|---|---:|---:|---:|")
    for (page, step, cold, warm), (_, _, none, _) in zip(cached, baseline, strict=True):
        print(f"| {page} | {step} | {cold:.0f} | {warm:.0f} | {none:.0f} |")
    colds = [r[2] for r in cached]
    warms = [r[3] for r in cached]
    nones = [r[2] for r in baseline]
    print(
        f"\ncold: median {statistics.median(colds):.0f} ms, max {max(colds):.0f} ms "
        f"(target ≤ {COLD_TARGET_MS}); warm: median {statistics.median(warms):.0f} ms, max "
        f"{max(warms):.0f} ms (target ≤ {WARM_TARGET_MS}); no cache: median "
        f"{statistics.median(nones):.0f} ms, max {max(nones):.0f} ms"
    )


if __name__ == "__main__":
    main()
