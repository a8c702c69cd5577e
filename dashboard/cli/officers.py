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
    p.set_defaults(func=_cmd_officers)

    m = sub.add_parser("officer-merge", help="gộp hai cách ghi tên của cùng một cán bộ")
    m.add_argument("--unit", required=True, help="mã đơn vị")
    m.add_argument("--keep", required=True, help="tên (hoặc tài khoản) giữ lại")
    m.add_argument("--merge", required=True, help="tên (hoặc tài khoản) gộp vào")
    m.add_argument("--user", help="người thực hiện")
    m.set_defaults(func=_cmd_merge)
