"""`tthc inbox`, `tthc scheduler`, `tthc daily-report`, `tthc runs`: the daily rhythm without
hands (dashboard/rhythm/)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from dashboard.cli.common import open_database
from dashboard.domain.query import parse_day
from dashboard.settings import Settings


def _cmd_inbox(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.rhythm import inbox

    folder = Path(args.folder).resolve() if args.folder else settings.inbox
    if folder is None:
        raise ValueError("Chưa đặt thư mục hộp thư: TTHC_INBOX hoặc --folder")
    engine = open_database(settings)
    stop = threading.Event()
    while True:
        done = inbox.run_pass(engine, settings, folder)
        if done.busy:
            print("Một tiến trình khác đang xem hộp thư; lần này bỏ qua.", file=sys.stderr)
        for t in done.taken:
            out = sys.stderr if t.status == "refused" else sys.stdout
            for line in t.lines:
                print(line, file=out)
            print(f"→ {t.moved_to}", file=out)
        for name in done.waiting:
            print(f"Đang chờ tệp ghi xong: {name}", file=sys.stderr)
        if args.once:
            return 1 if any(t.status == "refused" for t in done.taken) else 0
        if stop.wait(settings.inbox_minutes * 60):
            return 0


def _cmd_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.rhythm import scheduler
    from dashboard.services import context
    from dashboard.web import server

    engine = open_database(settings)
    with context.standalone(engine, settings, shared_cache=bool(settings.redis_url)):
        if args.once:
            w = scheduler.wake(engine, settings, scheduler.RealClock().now(), True)
            for key, slot, late in w.ran:
                print(f"{key} {slot:%d/%m/%Y %H:%M}{' (chạy bù)' if late else ''}")
            return 0
        server.json_logging()
        stop = threading.Event()
        # systemd's stop: the job under way ends, then the loop.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        print("Lịch chạy: tin nhắn, báo cáo 17:00, báo cáo tháng, hộp thư.", flush=True)
        scheduler.serve(engine, settings, scheduler.RealClock(stop))
    return 0


def _cmd_daily_report(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.rhythm import jobs
    from dashboard.services import context

    engine = open_database(settings, reading=not args.send)
    day = parse_day(args.date)
    out_dir = Path(args.out).resolve() if args.out else None
    with context.standalone(engine, settings):
        out = jobs.daily(engine, settings, day, args.send, out_dir)
    for path in out.files:
        print(path)
    for line in out.lines:
        print(line, file=sys.stderr)
    return 0 if out.ok else 1


def _cmd_runs(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.rhythm.jobs import LABELS
    from data_access import runs

    engine = open_database(settings, reading=True)
    for r in runs.recent(engine, args.limit):
        late = " (chạy bù)" if r.late else ""
        first = r.result.split("\n")[0] if r.result else ""
        print(f"{r.slot:%d/%m/%Y %H:%M}\t{LABELS.get(r.job, r.job)}{late}\t{r.status}\t{first}")
    return 0


def add_commands(sub) -> None:
    """Add this group's commands to the `tthc` parser."""
    ib = sub.add_parser("inbox", help="nhập các tệp trong thư mục hộp thư (TTHC_INBOX)")
    ib.add_argument("--once", action="store_true", help="xem một lần rồi thoát (cho cron)")
    ib.add_argument("--folder", help="thư mục hộp thư (mặc định TTHC_INBOX)")
    ib.set_defaults(func=_cmd_inbox)

    sc = sub.add_parser(
        "scheduler", help="lịch chạy: hộp thư, tin nhắn 07:30, báo cáo 17:00, báo cáo tháng"
    )
    sc.add_argument("--once", action="store_true", help="chạy các việc đến hạn rồi thoát")
    sc.set_defaults(func=_cmd_scheduler)

    dr = sub.add_parser("daily-report", help="báo cáo 17:00: số liệu trong ngày và từ đầu tháng")
    dr.add_argument("--date", required=True, help="ngày báo cáo dd/mm/yyyy")
    dr.add_argument("--out", help="thư mục ghi tệp (mặc định TTHC_REPORTS_DIR/<ngày>)")
    dr.add_argument("--send", action="store_true", help="gửi thư cho lãnh đạo, văn phòng")
    dr.set_defaults(func=_cmd_daily_report)

    rn = sub.add_parser("runs", help="các lần chạy theo lịch gần đây")
    rn.add_argument("--limit", type=int, default=30, help="số dòng")
    rn.set_defaults(func=_cmd_runs)
