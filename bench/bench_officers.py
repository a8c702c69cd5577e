"""Benchmark: officer figures at scale, and importing 200 000 dossiers with their histories.

    .venv/bin/python bench/bench_officers.py [--scale 2.5] [--pg-scale 0.5] [--skip-import]

1. Per-unit officer figures on the city map (114 units) with the demo's histories: a SQLite
   database of about 5 million dossiers (scale 2.5; built once in bench/out/, ~20 million
   steps), and, with --pg-scale, a PostgreSQL server started here with the same demo at that
   scale. For five units and five periods (a month, a quarter, a year, a custom range across
   two years, a day), the time to compute one unit's officers (counts; then with the median
   working time, a pass over the period's steps), against the unit's own dossier figures
   (data_access.counts.period_counts) in the same run: cold (first) and warm (median of 5).
2. Importing a .json file in the national sync shape (DongBoHoSoMC, each dossier carrying its
   QuaTrinhXuLy): 200 000 new dossiers, about 800 000 steps, into the city's reference data,
   against its read floor (the same file parsed into cells in this process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OUT = Path(__file__).resolve().parent / "out"
PERIODS = ("2026-09", "2026-Q3", "2026", "2025-07-01:2026-10-30", "2026-10-14")
NOW = dt.datetime(2026, 10, 31, 17, 0)


def build(url: str, scale: float) -> None:
    """The city map with the demo (and its histories) at `scale`, unless already there."""
    from sqlalchemy import func, select

    from data_access.bootstrap import prepare_database
    from data_access.demo import generate_demo
    from data_access.models import Dossier
    from data_access.reference import load_province

    engine = prepare_database(url, demo_on_empty=False)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(Dossier)).scalar()
    if n:
        engine.dispose()
        return
    started = time.perf_counter()
    with engine.begin() as conn:
        load_province(conn, "31")
        n = generate_demo(conn, seed=2025, scale=scale, province="31")
    print(f"built {n:,} dossiers with histories in {time.perf_counter() - started:.0f} s")
    engine.dispose()


def timings(url: str, label: str) -> None:
    """The per-unit figures, cold and warm, against the unit's dossier figures."""
    from sqlalchemy import func, select

    from dashboard.domain.periods import parse_period
    from data_access import counts, officer_counts
    from data_access.db import make_engine
    from data_access.models import Dossier
    from data_access.queries import all_units
    from data_access.step_models import Step

    engine = make_engine(url)
    with engine.connect() as conn:
        dossiers = conn.execute(select(func.count()).select_from(Dossier)).scalar()
        steps = conn.execute(select(func.count()).select_from(Step)).scalar()
        units = sorted(
            (u for u in all_units(conn).values() if u.valid_on(dt.date(2026, 10, 1))
             and u.kind != "tinh"),
            key=lambda u: u.code,
        )[:5]  # fmt: skip
    print(f"\n{label}: {dossiers:,} dossiers, {steps:,} steps; units {[u.code for u in units]}")
    print(f"{'period':<24}{'unit figures':>14}{'officers':>12}{'+ medians':>12}  (ms, warm; cold)")

    def run(fn) -> tuple[float, float]:
        out = []
        for _ in range(6):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        return statistics.median(out[1:]), out[0]

    for key in PERIODS:
        p = parse_period(key)
        rows = {"base": [], "counts": [], "full": []}
        for u in units:
            with engine.connect() as conn:
                rows["base"].append(
                    run(lambda c=conn, u=u, p=p: counts.period_counts(c, p.start, p.end, [u.id]))
                )
                rows["counts"].append(
                    run(
                        lambda c=conn, u=u, p=p: officer_counts.member_counts(
                            c, p.start, p.end, [u.id], "o", NOW, medians=False
                        )
                    )  # fmt: skip
                )
                rows["full"].append(
                    run(
                        lambda c=conn, u=u, p=p: officer_counts.member_counts(
                            c, p.start, p.end, [u.id], "o", NOW
                        )
                    )  # fmt: skip
                )

        def cell(name: str, rows: dict = rows) -> str:
            warm = max(w for w, _ in rows[name])
            cold = max(c for _, c in rows[name])
            return f"{warm:6.1f}; {cold:5.1f}"

        print(f"{key:<24}{cell('base'):>14}{cell('counts'):>12}{cell('full'):>12}")
    print("(each cell: the slowest of the five units)")
    engine.dispose()


def sync_file(source_url: str, n: int) -> bytes:
    """n dossiers of the built database with their steps, renamed so they are new, as a
    DongBoHoSoMC file whose dossiers carry QuaTrinhXuLy."""
    from sqlalchemy import text

    from data_access.db import make_engine

    engine = make_engine(source_url)
    fmt = "%Y%m%d%H%M%S"

    def t(v) -> str:
        if v is None:
            return ""
        return (v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)).strftime(fmt)

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT d.id, d.code, u.code, d.procedure_code, d.channel, d.submitted_at, "
                "d.received_at, d.due_at, d.finished_at, d.status FROM dossiers d "
                "JOIN units u ON u.id = d.unit_id ORDER BY d.id LIMIT :n"
            ),
            {"n": n},
        ).all()
        last = rows[-1][0]
        steps: dict[int, list] = {}
        for did, name, title, dept, content, end, deadline in conn.execute(
            text(
                "SELECT s.dossier_id, o.name, s.title, s.department, s.content, s.ended_at, "
                "s.deadline_at FROM steps s JOIN officers o ON o.id = s.officer_id "
                "WHERE s.dossier_id <= :last ORDER BY s.dossier_id, s.seq"
            ),
            {"last": last},
        ):
            steps.setdefault(did, []).append(
                {
                    "NguoiXuLy": name,
                    "ChucDanh": title,
                    "PhongBanXuLy": dept,
                    "NoiDungXuLy": content,
                    "ThoiDiemXuLy": t(end),
                    "NgayKetThucTheoQuyDinh": t(deadline),
                }  # fmt: skip
            )
    status = {"resolved": "10", "processing": "4", "received": "2", "supplement": "5",
              "paused": "8", "withdrawn": "7", "not_accepted": "3", "new": "1",
              "returned": "9"}  # fmt: skip
    data = [
        {
            "MaHoSo": "B" + code,
            "DonViXuLy": unit,
            "MaTTHC": proc,
            "KenhThucHien": str(ch),
            "NgayNopHoSo": t(sub),
            "NgayTiepNhan": t(rec),
            "NgayHenTra": t(due),
            "NgayKetThucXuLy": t(fin),
            "TrangThaiHoSo": status.get(st, "4"),
            "QuaTrinhXuLy": steps.get(did, []),
        }  # fmt: skip
        for did, code, unit, proc, ch, sub, rec, due, fin, st in rows
    ]
    engine.dispose()
    return json.dumps({"service": "DongBoHoSoMC", "data": data}, ensure_ascii=False).encode()


def import_bench(source_url: str, n: int) -> None:
    """Import time of a national sync file of n dossiers with histories, against its read
    floor, into a database holding the city's reference data only."""
    from data_access.bootstrap import prepare_database
    from data_access.importer import import_bytes
    from data_access.importer.config import load_mapping
    from data_access.importer.reader import read_table
    from data_access.reference import load_province

    path = OUT / f"sync-{n}.json"
    if not path.exists():
        path.write_bytes(sync_file(source_url, n))
    data = path.read_bytes()
    limits = load_mapping().limits
    t = time.perf_counter()
    table = read_table(data, path.name, limits)
    floor = time.perf_counter() - t
    steps = len(table.history.cells) if table.history is not None else 0
    del table
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/target.sqlite3"
        engine = prepare_database(url, demo_on_empty=False)
        with engine.begin() as conn:
            load_province(conn, "31")
        t = time.perf_counter()
        report = import_bytes(engine, data, path.name)
        took = time.perf_counter() - t
        assert report.ok, report.summary()[:5]
        t = time.perf_counter()
        again = import_bytes(engine, data, path.name)
        unchanged = time.perf_counter() - t
        engine.dispose()
    print(
        f"\nimport {path.name} ({len(data) / 1e6:.0f} MB, {n:,} dossiers, {steps:,} steps): "
        f"read floor {floor:.1f} s, import {took:.1f} s ({took / floor:.2f}x the floor), "
        f"the same file again {unchanged:.1f} s ({again.history.unchanged:,} histories "
        "unchanged)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=2.5)
    parser.add_argument("--pg-scale", type=float, default=0.0)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = f"sqlite:///{OUT / f'officers-{args.scale}.sqlite3'}"
    build(url, args.scale)
    timings(url, f"SQLite, scale {args.scale}")
    if args.pg_scale:
        from tests.pg_server import PostgresServer

        server = PostgresServer()
        server.start()
        try:
            pg = server.create_database("bench_officers")
            build(pg, args.pg_scale)
            timings(pg, f"PostgreSQL, scale {args.pg_scale}")
        finally:
            server.stop()
    if not args.skip_import:
        import_bench(url, args.rows)


if __name__ == "__main__":
    main()
