"""`tthc warnings` and `tthc digest`: the open dossiers that need action, and the morning's
messages per unit."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli import common
from dashboard.services import warning_view
from dashboard.settings import Settings


def _cmd_warnings(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.exports import warnings as files
    from dashboard.services import warning_view

    view = common.view(args, settings, lambda q: warning_view.warnings(q, outlook=False))
    w = view.warnings
    print(
        f"{w.era.name} · {files.as_of_text(w, view.newest)} · sắp đến hạn "
        f"{files.horizon_text(w)} · {len(w.dossiers)} hồ sơ cần xử lý",
        file=sys.stderr,
    )
    if stale := files.stale_text(w, view.newest, view.missing_day):
        print(f"Lưu ý: {stale}", file=sys.stderr)
    if args.summary:
        common.emit(
            files.summary_rows(w),
            files.SUMMARY_KEYS,
            [("unit_code", "Mã"), ("unit_name", "Đơn vị")]
            + [(c.value, c.label) for c in files.ORDER],
            args.format,
        )
        return 0
    common.emit(
        files.text_rows(w.dossiers) if args.format == "table" else files.rows(w.dossiers),
        files.ROW_KEYS,
        [
            ("unit_code", "Mã"),
            ("unit_name", "Đơn vị"),
            ("code", "Mã hồ sơ"),
            ("procedure", "Thủ tục"),
            ("received_at", "Tiếp nhận"),
            ("due_at", "Hẹn trả"),
            ("status", "Trạng thái"),
            ("class", "Cảnh báo"),
            ("days_left", "Ngày làm việc còn lại"),
        ],
        args.format,
    )
    return 0


def _cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    if args.send:
        return _send_digest(args, settings)
    if not args.out:
        raise ValueError("Cần --out THƯ_MỤC (hoặc --send: ghi vào TTHC_REPORTS_DIR và gửi thư)")
    from dashboard.exports import warnings as files
    from dashboard.services import officers

    def with_officers(q):
        v = warning_view.warnings(q)
        return v, officers.warning_lines(v)

    view, per_officer = common.view(args, settings, with_officers)
    stale = files.stale_text(view.warnings, view.newest, view.missing_day)
    if stale:
        print(f"Lưu ý: {stale}", file=sys.stderr)
    digest = files.write_digest(
        view.warnings, view.outlooks, view.newest, Path(args.out), stale, per_officer
    )
    for path in digest.files:
        print(path)
    print(
        f"{files.as_of_text(view.warnings, view.newest)}: {digest.units} đơn vị, "
        f"{digest.warned} hồ sơ cần xử lý.",
        file=sys.stderr,
    )
    return 0


def _send_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Write the digest and mail each unit its own message (dashboard/rhythm/jobs.py)."""
    import datetime as dt
    from pathlib import Path

    from dashboard.domain.query import ViewQuery
    from dashboard.rhythm import jobs
    from dashboard.services import context
    from dashboard.services.figures import newest_day

    engine = common.open_database(settings)
    with context.standalone(engine, settings):
        q = ViewQuery.from_cli(args)
        day = dt.date.fromisoformat(q.as_of) if q.as_of else (newest_day() or dt.date.today())
        out = jobs.digest(engine, settings, day, True, Path(args.out) if args.out else None, q)
    for path in out.files:
        print(path)
    for line in out.lines:
        print(line, file=sys.stderr)
    return 0 if out.ok else 1


def add_commands(sub) -> None:
    """Add this group's commands to the `tthc` parser."""
    from dashboard.domain.query import COMMANDS, add_cli_flags

    warn = sub.add_parser(
        "warnings", help="hồ sơ đang mở cần xử lý: quá hạn, đến hạn, sắp đến hạn, chờ công dân"
    )
    common.add_view(warn, "warnings")
    warn.add_argument("--summary", action="store_true", help="một dòng mỗi đơn vị: số hồ sơ")
    warn.set_defaults(func=_cmd_warnings)

    dig = sub.add_parser("digest", help="tin nhắn buổi sáng cho từng đơn vị và tệp Excel")
    add_cli_flags(dig, COMMANDS["digest"])
    dig.add_argument("--out", help="thư mục ghi các tệp (bắt buộc khi không có --send)")
    dig.add_argument(
        "--send", action="store_true", help="gửi thư: mỗi đơn vị nhận tin nhắn của mình"
    )
    dig.set_defaults(func=_cmd_digest)
