"""`tthc officers` (per officer, step kind or department, a period) and `tthc officer-merge`
(two spellings of one person)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli import common
from dashboard.settings import Settings


def _cmd_officers(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.domain.officer_rows import BY_LABELS
    from dashboard.domain.query import ViewQuery
    from dashboard.exports import officers as files
    from dashboard.exports import tables
    from dashboard.services import context, officers, tabular

    engine = common.open_database(settings, reading=True)
    q = ViewQuery(period=args.period, unit=args.unit or "", fields=tuple(args.field or ()))
    with context.standalone(engine, settings):
        view = officers.officers(q, args.by)
    print(
        f"{view.period.label} · theo {BY_LABELS[args.by].lower()} · "
        f"{len(view.unit_names)} đơn vị · {len(view.rows)} dòng",
        file=sys.stderr,
    )
    if args.format == "xlsx":
        if not args.output:
            raise ValueError("Cần --output TỆP.xlsx")
        title = f"Số liệu theo {BY_LABELS[args.by].lower()} — {view.period.label}"
        data = tables.to_xlsx([files.table(view.rows, args.by, title, ", ".join(view.unit_names))])
        Path(args.output).write_bytes(data)
        print(args.output)
        return 0
    if args.below_target:
        rows = files.below_rows(view)
        below: tuple[str, ...] = files.BELOW_KEYS
        sys.stdout.write(
            tabular.to_csv(rows, below)
            if args.format == "csv"
            else tabular.to_text(rows, [(k, k) for k in below]) + "\n"
        )
        return 0
    rows = files.csv_rows(view.rows, args.by)
    keys = files.CSV_KEYS[args.by]
    text = (
        tabular.to_csv(rows, keys)
        if args.format == "csv"
        else tabular.to_text(rows, [(k, k) for k in keys]) + "\n"
    )
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_merge(args: argparse.Namespace, settings: Settings) -> int:
    from data_access import officer_aliases

    engine = common.open_database(settings)
    with engine.begin() as conn:
        done = officer_aliases.merge(conn, args.unit, args.keep, args.merge, args.user or "")
    print(done)
    return 0


def _cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from dashboard.domain.officer_targets import MEASURES, parse_value
    from data_access import officer_targets

    engine = common.open_database(settings)
    if args.action == "set":
        if args.measure is None or args.value is None:
            raise ValueError("Cần chỉ tiêu và giá trị: set overdue 0 | set steps_on_time 95%")
        value = parse_value(args.value)
        with engine.begin() as conn:
            print(
                officer_targets.add(
                    conn,
                    args.measure,
                    value,
                    dt.date.fromisoformat(args.effective_from),
                    args.unit,
                    args.officer,
                    args.kind,
                    args.source or "",
                    args.user or "",
                )
            )
        return 0
    with engine.connect() as conn:
        for r in officer_targets.rules(conn):
            whom = r.officer_id or r.kind or r.unit_id or "mọi cán bộ"
            print(f"{r.measure}\t{MEASURES[r.measure][0]}\t{r.value:g}\t"
                  f"từ {r.effective_from:%d/%m/%Y}\t{whom}")  # fmt: skip
    return 0


def add_commands(sub) -> None:
    """Add this group's commands to the `tthc` parser."""
    p = sub.add_parser("officers", help="số liệu theo cán bộ, bước xử lý hoặc phòng ban")
    p.add_argument("--period", required=True, help="kỳ: 2025, 2025-Q3, 2025-08, 2025-08-12")
    p.add_argument("--unit", help="mã đơn vị (mặc định: mọi đơn vị)")
    p.add_argument("--by", choices=("officer", "department", "kind"), default="officer",
                   help="officer | department | kind")  # fmt: skip
    p.add_argument("--field", action="append", help="lĩnh vực (lặp lại được)")
    p.add_argument("--format", choices=("table", "csv", "xlsx"), default="table",
                   help="table | csv | xlsx")  # fmt: skip
    p.add_argument("--output", help="ghi ra tệp này")
    p.add_argument(
        "--below-target",
        action="store_true",
        help="chỉ những cán bộ (bước) không đạt chỉ tiêu, với số kỳ liên tiếp",
    )
    p.set_defaults(func=_cmd_officers)

    t = sub.add_parser("officer-targets", help="xem hoặc đặt chỉ tiêu cho cán bộ, bước xử lý")
    t.add_argument("action", choices=("list", "set"), nargs="?", default="list")
    t.add_argument("measure", nargs="?", help="overdue | steps_on_time")
    t.add_argument("value", nargs="?", help="giá trị: 0, hoặc 95%%")
    t.add_argument("--from", dest="effective_from", default="2025-07-01",
                   help="áp dụng từ ngày (YYYY-MM-DD)")  # fmt: skip
    t.add_argument("--unit", help="mã đơn vị (mặc định: mọi đơn vị)")
    t.add_argument("--officer", help="tên cán bộ (cần --unit)")
    t.add_argument("--kind", help="bước xử lý: tiep_nhan, tham_dinh, trinh_ky, tra_ket_qua")
    t.add_argument("--source", help="văn bản giao chỉ tiêu")
    t.add_argument("--user", help="người đặt")
    t.set_defaults(func=_cmd_targets)

    m = sub.add_parser("officer-merge", help="gộp hai cách ghi tên của cùng một cán bộ")
    m.add_argument("--unit", required=True, help="mã đơn vị")
    m.add_argument("--keep", required=True, help="tên (hoặc tài khoản) giữ lại")
    m.add_argument("--merge", required=True, help="tên (hoặc tài khoản) gộp vào")
    m.add_argument("--user", help="người thực hiện")
    m.set_defaults(func=_cmd_merge)
