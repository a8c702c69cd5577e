"""Benchmark: all indicators for all units of the district, rollups vs. pandas on raw rows.

    .venv/bin/python bench/bench_indicators.py [--sqlite PATH] [--postgres] [--repeat 7]

Needs a large demo database; build it once (about 10 minutes for 5 million dossiers):

    DATABASE_URL=sqlite:///bench/out/demo-5m.sqlite3 .venv/bin/tthc demo-data --scale 50

For each period (month, quarter, year and three custom day ranges; with and without a field
filter) it times `dashboard.services.report.compute` warm (median of --repeat runs), then the same
counts computed with pandas from the raw dossier table, and with DuckDB on the raw rows held
in memory (loaded once; only its query is timed; `pip install duckdb`, bench only), checks all
three give identical numbers for every unit, and prints a table with both ratios. Each side
runs in its own process so its peak memory is its own. With the field filter it also times
one unit's figures alone (`report.scope_report`, what its page reads), checked equal to its
row of the district report. Targets (issue 17): every period ≤ 15 ms on SQLite at 5 million
(PostgreSQL ≤ 30 ms), ≥ 5× faster than DuckDB, one unit with a field ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import at_newest_schema

PERIODS = (
    "2025-03",
    "2025-Q1",
    "2024",
    "2025-01-15:2025-05-10",
    "2024-02-03:2024-11-27",
    "2025-06-03:2025-06-17",
)
FIELD = "Hộ tịch"


def _derived(rep) -> dict[str, int]:
    """The same numbers pandas_baseline.counts gives, from a UnitReport."""
    from dashboard.domain import rules

    ind, st = rep.indicators, rules.states(rep.counts)
    return {
        "received": ind["online_submission"].denominator,
        "received_online": ind["online_submission"].numerator,
        "received_fee": ind["online_payment"].denominator,
        "received_fee_paid": ind["online_payment"].numerator,
        "received_digitized": ind["dossier_digitization"].numerator,
        "received_reused": ind["data_reuse"].numerator,
        "resolved": ind["result_digitization"].denominator,
        "resolved_e_result": ind["result_digitization"].numerator,
        "on_time": ind["on_time"].numerator,
        "handled": st["handled"],
        "overdue": int(ind["overdue"].value),
        "paused": int(ind["paused"].value),
        "returned": int(ind["returned"].value),
        "online_submitted": ind["online_reception_6h"].denominator,
        "online_answered_6h": ind["online_reception_6h"].numerator,
    }


def child(url: str, side: str, period_text: str, with_field: bool, repeat: int) -> dict:
    """Run one side in this process and report timings, results and peak memory."""
    from dashboard.domain.periods import parse_period
    from dashboard.services import report
    from data_access.db import make_engine

    engine = make_engine(url)
    period = parse_period(period_text)
    with engine.connect() as conn:
        filters = report.resolve_filters(conn, [FIELD] if with_field else [])
    field_id = filters.field_ids[0] if filters.field_ids else None
    times = []
    extra: dict = {}
    if side == "rollups":
        for _ in range(3):  # warm: connection pool, statement cache, OS page cache
            report.compute(engine, period, filters=filters)
        for _ in range(repeat):
            t = time.perf_counter()
            rep = report.compute(engine, period, filters=filters)
            times.append(time.perf_counter() - t)
        result = {u.unit.id: _derived(u) for u in rep.units if u.has_data}
        if with_field:
            # One unit's page (its own rows only) must show its row of the district report.
            unit = next(u.unit for u in rep.units if u.has_data)
            for _ in range(3):
                report.scope_report(engine, period, [unit.ref], filters)
            unit_times = []
            for _ in range(repeat):
                t = time.perf_counter()
                one = report.scope_report(engine, period, [unit.ref], filters)
                unit_times.append(time.perf_counter() - t)
            extra = {
                "unit_s": statistics.median(unit_times),
                "unit_equal": _derived(one) == result[unit.id],
            }
    else:
        from bench import pandas_baseline

        for _ in range(max(1, repeat // 3)):
            t = time.perf_counter()
            df = pandas_baseline.load(engine, period.start, period.end, field_id)
            result = pandas_baseline.attribute_merged(
                engine, pandas_baseline.counts(df, period.start, period.end), period.start
            )
            times.append(time.perf_counter() - t)
            del df
        result = {u: c for u, c in result.items() if c["handled"] or c["online_submitted"]}
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"median_s": statistics.median(times), "peak_mib": peak_mib, "result": result} | extra


def duckdb_child(url: str, repeat: int) -> dict:
    """DuckDB for every period and filter, its rows loaded once: {"period|field": timing}."""
    from bench import duckdb_baseline
    from dashboard.domain.periods import parse_period
    from dashboard.services import report
    from data_access.db import make_engine

    engine = make_engine(url)
    t = time.perf_counter()
    db = duckdb_baseline.connect(engine)
    load_s = time.perf_counter() - t
    with engine.connect() as conn:
        field_id = report.resolve_filters(conn, [FIELD]).field_ids[0]
    out: dict = {"load_s": load_s}
    for period_text in PERIODS:
        period = parse_period(period_text)
        for with_field in (False, True):
            fid = field_id if with_field else None
            duckdb_baseline.counts(db, period.start, period.end, fid)  # warm
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                result = duckdb_baseline.result(db, engine, period.start, period.end, fid)
                times.append(time.perf_counter() - t)
            result = {u: c for u, c in result.items() if c["handled"] or c["online_submitted"]}
            out[f"{period_text}|{with_field}"] = {
                "median_s": statistics.median(times),
                "result": result,
            }
    return out


def run_child(url: str, side: str, period: str, with_field: bool, repeat: int) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            side,
            "--url",
            url,
            "--period",
            period or "-",
            "--repeat",
            str(repeat),
        ]
        + (["--field"] if with_field else []),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def bench(url: str, label: str, repeat: int) -> list[dict]:
    rows = []
    duck = run_child(url, "duckdb", "", False, repeat)
    print(f"{label:10} duckdb load of the raw rows: {duck['load_s']:.1f} s", flush=True)
    for period in PERIODS:
        for with_field in (False, True):
            fast = run_child(url, "rollups", period, with_field, repeat)
            slow = run_child(url, "pandas", period, with_field, repeat)
            col = duck[f"{period}|{with_field}"]
            # JSON keys are text: compare the units' numbers as the children wrote them.
            same = fast["result"] == slow["result"] == col["result"]
            same = same and fast.get("unit_equal", True)
            rows.append(
                {
                    "db": label,
                    "period": period,
                    "filter": FIELD if with_field else "—",
                    "rollups_ms": fast["median_s"] * 1000,
                    "pandas_ms": slow["median_s"] * 1000,
                    "ratio": slow["median_s"] / fast["median_s"],
                    "duckdb_ms": col["median_s"] * 1000,
                    "duckdb_ratio": col["median_s"] / fast["median_s"],
                    "equal": same,
                    "unit_ms": fast["unit_s"] * 1000 if "unit_s" in fast else None,
                    "rollups_peak_mib": fast["peak_mib"],
                    "pandas_peak_mib": slow["peak_mib"],
                }
            )
            r = rows[-1]
            print(
                f"{label:10} {period:21} {r['filter']:8} rollups {r['rollups_ms']:7.1f} ms"
                f"  duckdb {r['duckdb_ms']:7.1f} ms ×{r['duckdb_ratio']:5.1f}"
                f"  pandas {r['pandas_ms']:8.1f} ms ×{r['ratio']:6.1f}  equal={same}"
                + (f"  one unit {r['unit_ms']:.1f} ms" if r["unit_ms"] is not None else "")
                + f"  peak {r['rollups_peak_mib']:.0f} / {r['pandas_peak_mib']:.0f} MiB",
                flush=True,
            )
    return rows


def dossier_count(url: str) -> int:
    from sqlalchemy import func, select

    from data_access.db import make_engine
    from data_access.models import Dossier

    with make_engine(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(Dossier)).scalar()


def copy_to_postgres(sqlite_url: str, pg_url: str) -> None:
    """Copy the SQLite benchmark database into PostgreSQL (COPY, ids kept), then build the
    rollups."""
    import psycopg
    from sqlalchemy import select

    from data_access import rollups
    from data_access.db import make_engine, migrate
    from data_access.models import Dossier, Field, Import, Procedure, Unit, UnitLink

    src, dst = make_engine(sqlite_url), make_engine(pg_url)
    migrate(dst)
    raw = psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"))
    with src.connect() as s, raw.cursor() as cur:
        for model in (Field, Procedure, Unit, UnitLink, Import, Dossier):
            table = model.__table__
            cols = [c.name for c in table.columns]
            query = select(*[table.c[c] for c in cols])
            if "id" in cols:
                query = query.order_by(table.c.id)
            quoted = ", ".join(f'"{c}"' for c in cols)  # "user" is a reserved word
            with cur.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
                for row in s.execution_options(yield_per=50_000).execute(query):
                    copy.write_row(tuple(row))
            if "id" in cols:
                cur.execute(
                    f"SELECT setval('{table.name}_id_seq', "
                    f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                )
    raw.commit()
    raw.close()
    with dst.begin() as conn:
        rollups.rebuild(conn)
        conn.exec_driver_sql("ANALYZE")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sqlite", default="bench/out/demo-5m.sqlite3")
    ap.add_argument("--postgres", action="store_true", help="also on a PostgreSQL copy")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--child", choices=("rollups", "pandas", "duckdb"))
    ap.add_argument("--url")
    ap.add_argument("--period")
    ap.add_argument("--field", action="store_true")
    args = ap.parse_args()
    if args.child == "duckdb":
        print(json.dumps(duckdb_child(args.url, args.repeat)))
        return
    if args.child:
        print(json.dumps(child(args.url, args.child, args.period, args.field, args.repeat)))
        return
    path = Path(args.sqlite)
    if not path.exists():
        sys.exit(
            f"{path} not found: build it with DATABASE_URL=sqlite:///{path} "
            ".venv/bin/tthc demo-data --scale 50"
        )
    sqlite_url = f"sqlite:///{path.resolve()}"
    at_newest_schema(sqlite_url)
    print(f"dossiers: {dossier_count(sqlite_url):,}", flush=True)
    rows = bench(sqlite_url, "sqlite", args.repeat)
    if args.postgres:
        from tests.pg_server import PostgresServer

        server = PostgresServer()
        server.start()
        try:
            pg_url = server.create_database("bench")
            t = time.perf_counter()
            copy_to_postgres(sqlite_url, pg_url)
            print(f"postgres copy + rollups: {time.perf_counter() - t:.0f} s", flush=True)
            rows += bench(pg_url, "postgresql", args.repeat)
        finally:
            server.stop()
    print(
        "\n| db | period | filter | rollups (median) | DuckDB | × DuckDB | pandas | × pandas "
        "| one unit | equal | peak MiB (rollups / pandas) |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|"
    )
    for r in rows:
        print(
            f"| {r['db']} | {r['period']} | {r['filter']} | {r['rollups_ms']:.1f} ms | "
            f"{r['duckdb_ms']:.1f} ms | {r['duckdb_ratio']:.1f}× | {r['pandas_ms']:.0f} ms | "
            f"{r['ratio']:.0f}× | "
            + (f"{r['unit_ms']:.1f} ms" if r["unit_ms"] is not None else "—")
            + f" | {'yes' if r['equal'] else 'NO'} | "
            f"{r['rollups_peak_mib']:.0f} / {r['pandas_peak_mib']:.0f} |"
        )
    if not all(r["equal"] for r in rows):
        sys.exit("results differ between rollups, DuckDB and pandas")


if __name__ == "__main__":
    main()
