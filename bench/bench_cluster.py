"""Benchmark: 200 people against the several-process topology, through failures; and how it
scales from 1 to 2 to 4 app processes on this machine.

    .venv/bin/python bench/bench_cluster.py [--minutes 10] [--processes 4] [--scale 0.05]
    .venv/bin/python bench/bench_cluster.py --scaling [--seconds 60] [--users 60]

The load run starts scripts/cluster.sh (nginx, N app processes, two workers, Redis, a
PostgreSQL primary and a streaming replica, the city scope's 114 communes and wards), gives it
20 office staff (filtering the overview, the league and any unit's page, downloading tables),
10 leadership accounts on the meeting-room screen and 170 unit accounts (one per unit, a second
for 56 of them) on their own unit's page, each acting every 5–10 s. At 30 % of the run one app
process is killed with SIGKILL (and started again 5 s later, as systemd's Restart=always would);
at 50 % Redis is restarted; at 70 % the replica is stopped. It prints p50/p95/p99 per action,
the errors (those of requests in flight at a failure's instant counted apart), and a timeline
per 10 s with the events marked; the JSON goes to bench/out/cluster-load.json.

--scaling plays a heavier crowd (pauses of 1–2 s) for --seconds at 1, then 2, then 4 app
processes, and reports requests/s, per CPU-second of the app processes, p95, and the CPU the
load generator itself took (it runs on the same two cores: its share is what the app did not
get). The 1-process level is the baseline of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cluster_load import (
    Cluster,
    by_action,
    cluster,
    ensure_accounts,
    failed,
    in_flight,
    percentile,
    play,
    timeline,
)

OUT = Path(__file__).resolve().parent / "out"
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _fmt(ms: float | None) -> str:
    return "—" if ms is None else f"{ms:.0f}"


def _fresh_redis(folder: Path) -> None:
    """Start from an empty Redis (no cache, no sessions): the warm-up of a fresh start runs."""
    for path in (folder / "redis").glob("*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def load_run(args: argparse.Namespace) -> None:
    folder = Path(args.dir).resolve()
    _fresh_redis(folder)
    with cluster(folder, args.port, args.processes, args.scale) as c:
        people = ensure_accounts(c.env(), 20, 10, 170)
        print(f"cache warm-up ended after {c.wait_warm():.0f} s more", flush=True)
        seconds = args.minutes * 60

        def kill_and_restart() -> None:
            c.kill_app(2)
            threading.Timer(5.0, c.restart_app, args=(2,)).start()

        events = [
            (0.3 * seconds, "kill -9 một tiến trình ứng dụng", kill_and_restart),
            (0.5 * seconds, "khởi động lại Redis", c.restart_redis),
            (0.7 * seconds, "dừng bản sao PostgreSQL", c.stop_replica),
        ]
        cpu0, wall0 = time.process_time(), time.monotonic()
        rec, happened = play(c.base, people, seconds, events, start_within=args.arrivals)
        generator = (time.process_time() - cpu0) / (time.monotonic() - wall0)
    hits = rec.hits
    bad = [h for h in hits if failed(h)]
    flight = [h for h in bad if in_flight(h, happened)]
    actions = by_action(hits)
    line = timeline(hits)
    print(f"\n{len(people)} users arriving over {args.arrivals:.0f} s, {args.minutes} min, "
          f"{args.processes} app processes behind nginx, city scope (scale {args.scale}), "
          f"PostgreSQL + replica, Redis\n")  # fmt: skip
    print("| action | requests | p50 ms | p95 ms | p99 ms | errors | refused (4xx) |")
    print("|---|---|---|---|---|---|---|")
    for name, a in actions.items():
        print(f"| {name} | {a['count']} | {_fmt(a['p50'])} | {_fmt(a['p95'])} | "
              f"{_fmt(a['p99'])} | {a['errors']} | {a['refused_4xx']} |")  # fmt: skip
    answered = sorted(h.ms for h in hits if h.status)
    print(f"| all | {len(hits)} | {_fmt(percentile(answered, 50))} | "
          f"{_fmt(percentile(answered, 95))} | {_fmt(percentile(answered, 99))} | {len(bad)} | "
          f"{sum(1 for h in hits if 400 <= h.status < 500)} |")  # fmt: skip
    print(
        f"\nerrors: {len(bad)}, of which in flight at a failure's instant: {len(flight)}; "
        f"others: {[(round(h.at, 1), h.action, h.status) for h in bad if h not in flight][:20]}"
    )
    print(f"load generator CPU: {generator:.0%} of one core\n")
    print("| from s | requests | errors | p95 ms | event |")
    print("|---|---|---|---|---|")
    for b in line:
        marks = ", ".join(label for at, _, label in happened if b["from"] <= at < b["from"] + 10)
        print(f"| {b['from']:.0f} | {b['requests']} | {b['errors']} | {_fmt(b['p95'])} | "
              f"{marks} |")  # fmt: skip
    OUT.mkdir(exist_ok=True)
    (OUT / "cluster-load.json").write_text(
        json.dumps(
            {
                "users": len(people),
                "minutes": args.minutes,
                "processes": args.processes,
                "events": happened,
                "actions": actions,
                "errors": len(bad),
                "in_flight_errors": len(flight),
                "generator_cpu_share": generator,
                "timeline": line,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )


def _level(c: Cluster, people: list, seconds: float) -> dict:
    pids = [c.app_pid(i) for i in range(1, c.processes + 1)]
    app0 = sum(_cpu_seconds(p) for p in pids)
    cpu0, wall0 = time.process_time(), time.monotonic()
    rec, _ = play(c.base, people, seconds, pause=(1.0, 2.0), start_within=5.0)
    wall = time.monotonic() - wall0
    app_cpu = sum(_cpu_seconds(p) for p in pids) - app0
    steady = [h for h in rec.hits if h.at > 10]  # past the logins
    span = max(h.at for h in steady) - 10 if steady else 1.0
    answered = sorted(h.ms for h in steady if h.status)
    return {
        "processes": c.processes,
        "requests": len(steady),
        "rps": len(steady) / span,
        "p50": percentile(answered, 50),
        "p95": percentile(answered, 95),
        "errors": sum(1 for h in rec.hits if failed(h)),
        "app_cpu_share": app_cpu / wall,
        "rps_per_app_cpu_second": len(rec.hits) / app_cpu if app_cpu else None,
        "generator_cpu_share": (time.process_time() - cpu0) / wall,
    }


def scaling(args: argparse.Namespace) -> None:
    folder = Path(args.dir).resolve()
    rows = []
    for n in (1, 2, 4):
        with cluster(folder, args.port, n, args.scale) as c:
            people = ensure_accounts(c.env(), 20, 10, 170)[: args.users]
            c.wait_warm()
            play(c.base, people[:5], 10, pause=(0.5, 1.0), start_within=1.0)  # warm the cache
            rows.append(_level(c, people, args.seconds))
    base = rows[0]["rps"]
    print(f"\n{args.users} users acting every 1–2 s for {args.seconds} s at each level "
          f"(2 cores shared with the load generator, PostgreSQL, Redis and nginx)\n")  # fmt: skip
    print(
        "| app processes | req/s | × 1 process | p50 ms | p95 ms | errors | app CPU (cores) | "
        "req per app CPU-second | generator CPU (cores) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        per_cpu = r["rps_per_app_cpu_second"] or 0
        print(f"| {r['processes']} | {r['rps']:.1f} | {r['rps'] / base:.2f} | {r['p50']:.0f} | "
              f"{r['p95']:.0f} | {r['errors']} | {r['app_cpu_share']:.2f} | {per_cpu:.1f} | "
              f"{r['generator_cpu_share']:.2f} |")  # fmt: skip
    OUT.mkdir(exist_ok=True)
    (OUT / "cluster-scaling.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--port", type=int, default=8097)
    ap.add_argument("--dir", default=str(OUT / "cluster"))
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--users", type=int, default=60)
    ap.add_argument("--arrivals", type=float, default=60, help="s over which people log in")
    args = ap.parse_args()
    scaling(args) if args.scaling else load_run(args)


if __name__ == "__main__":
    main()
