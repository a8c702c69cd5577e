"""`tthc run`, `init-db`, `load-reference`, `demo-data`, `demo-files`, `import`,
`rebuild-rollups`, `targets`: the commands that start the dashboard and put data in."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from dashboard.cli.common import open_database
from dashboard.domain.formatting import fmt_int, fmt_number
from dashboard.settings import Settings


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.web.app import create_app

    started = time.perf_counter()
    app = create_app(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    ready = fmt_number(time.perf_counter() - started, 1)
    print(f"Sẵn sàng sau {ready} s: http://{host}:{port}", flush=True)
    app.run(host=host, port=port, debug=args.debug)
    return 0


def _cmd_init_db(_args: argparse.Namespace, settings: Settings) -> int:
    from data_access.bootstrap import prepare_database

    prepare_database(settings.database_url, demo_on_empty=False)
    print("Đã tạo / cập nhật cấu trúc cơ sở dữ liệu và dữ liệu danh mục.")
    return 0


def _cmd_load_reference(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from data_access.db import make_engine, migrate
    from data_access.reference import REFERENCE_DIR, load_province, load_reference

    engine = make_engine(settings.database_url)
    migrate(engine)
    with engine.begin() as conn:
        if args.province:
            counts = load_province(conn, args.province)
        else:
            counts = load_reference(conn, Path(args.folder) if args.folder else REFERENCE_DIR)
    print(
        f"Danh mục: thêm {counts['inserted']}, cập nhật {counts['updated']}, "
        f"không đổi {counts['unchanged']}."
    )
    return 0


def _cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from data_access.db import make_engine, migrate
    from data_access.demo import generate_demo
    from data_access.reference import load_province, load_reference

    engine = make_engine(settings.database_url)
    migrate(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        load_reference(conn)
        if args.scope:
            load_province(conn, args.scope)
        n = generate_demo(
            conn,
            seed=args.seed,
            scale=args.scale,
            progress=lambda k: print(f"  … {fmt_int(k)} hồ sơ", file=sys.stderr, flush=True),
            province=args.scope,
        )
    print(f"Đã tạo {fmt_int(n)} hồ sơ mẫu trong {fmt_number(time.perf_counter() - started, 1)} s.")
    return 0


def _cmd_demo_files(args: argparse.Namespace, settings: Settings) -> int:
    from data_access.demo_source_files import write_demo_source_files

    engine = open_database(settings, reading=True)
    paths = write_demo_source_files(engine, args.out)
    for path in paths:
        print(path)
    return 0


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    import getpass
    from pathlib import Path

    from data_access.importer import import_file
    from data_access.importer.config import load_mapping

    unreadable = [p for p in args.file if not Path(p).is_file()]
    if unreadable:
        for p in unreadable:
            print(f"Không có tệp «{p}» (hoặc đó là một thư mục): không nhập gì.", file=sys.stderr)
        return 2
    engine = open_database(settings)
    mapping = load_mapping(settings.import_mapping)

    def one(path: str):
        started = time.perf_counter()
        report = import_file(
            engine,
            path,
            user=args.user or f"cli:{getpass.getuser()}",
            partial=args.partial,
            dry_run=args.dry_run,
            unit_default=args.unit_default,
            calendar=settings.work_calendar(),
            mapping=mapping,
        )
        return report, time.perf_counter() - started

    # A file of steps only may name dossiers of a later file: such a file is tried again
    # once the others are in (a step file is never partly written in the meantime).
    done: list[tuple[str, Any, float]] = []
    later: list[str] = []
    for path in args.file:
        report, seconds = one(path)
        if not report.ok and report.waits_for_dossiers and len(args.file) > 1:
            later.append(path)
            continue
        done.append((path, report, seconds))
    for path in later:
        done.append((path, *one(path)))
    failed = 0
    for _path, report, seconds in done:
        out = sys.stdout if report.ok else sys.stderr
        for line in report.summary():
            print(line, file=out)
        print(f"({fmt_number(seconds, 1)} s)", file=out)
        if args.rejected_out and report.rejected_cells:
            Path(args.rejected_out).write_bytes(report.rejected_csv())
            print(f"Các dòng lỗi đã ghi vào {args.rejected_out}", file=out)
        failed += not report.ok
    return 0 if not failed else 1


def _cmd_rebuild_rollups(_args: argparse.Namespace, settings: Settings) -> int:
    from data_access import rollups
    from data_access.bootstrap import backfill_response_minutes

    engine = open_database(settings)
    started = time.perf_counter()
    with engine.begin() as conn:
        n = backfill_response_minutes(conn, settings.work_calendar(), everything=True)
        rollups.rebuild(conn)
    print(f"Đã tính lại thời gian phản hồi của {fmt_int(n)} hồ sơ trực tuyến.")
    print(f"Đã tính lại bảng tổng hợp trong {fmt_number(time.perf_counter() - started, 1)} s.")
    return 0


def _cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from dashboard.domain.catalog import BY_KEY, CATALOG
    from data_access import queries, targets

    engine = open_database(settings)
    if args.action == "set":
        if args.indicator not in BY_KEY:
            raise ValueError(f"Không có chỉ số (unknown indicator): {args.indicator}")
        value = float(args.value.rstrip("%")) / (100 if args.value.endswith("%") else 1)
        since = dt.date.fromisoformat(args.effective_from)
        with engine.begin() as conn:
            targets.add_target(conn, args.indicator, value, since, args.unit, args.source)
    with engine.connect() as conn:
        units = queries.all_units(conn)
        configured = targets.configured(conn)
    print("Mặc định (Công văn tháng 3/2025):")
    for spec in CATALOG:
        print(f"  {spec.key:22} {spec.default_target:g}  {spec.name_vi}")
    print("Đã cấu hình:" if configured else "Chưa cấu hình chỉ tiêu riêng.")
    for t in configured:
        print(
            f"  {t.indicator:22} {t.value:g}  từ {t.effective_from:%d/%m/%Y}"
            f"  {('đơn vị ' + units[t.unit_id].label) if t.unit_id else 'mọi đơn vị'}"
            f"  {t.source or ''}".rstrip()
        )
    return 0


def add_commands(sub) -> None:
    """Add this group's commands to the `tthc` parser."""

    run = sub.add_parser("run", help="chạy bảng theo dõi (tạo CSDL và dữ liệu mẫu nếu chưa có)")
    run.add_argument("--host", help="địa chỉ lắng nghe (mặc định TTHC_HOST)")
    run.add_argument("--port", type=int, help="cổng (mặc định TTHC_PORT)")
    run.add_argument("--debug", action="store_true", help="chế độ phát triển của Dash")
    run.set_defaults(func=_cmd_run)

    init = sub.add_parser("init-db", help="tạo / nâng cấp cấu trúc CSDL và nạp danh mục")
    init.set_defaults(func=_cmd_init_db)

    ref = sub.add_parser("load-reference", help="nạp danh mục đơn vị, lĩnh vực, thủ tục")
    ref.add_argument("folder", nargs="?", help="thư mục chứa units.csv và procedures.csv")
    ref.add_argument(
        "--province",
        help="nạp một tỉnh, thành phố (mã: 31 Hải Phòng, 01 Hà Nội…) và các xã, phường của nó "
        "từ danh sách đơn vị hành chính 1/7/2025",
    )
    ref.set_defaults(func=_cmd_load_reference)

    demo = sub.add_parser("demo-data", help="tạo dữ liệu hồ sơ mẫu (thay dữ liệu mẫu cũ)")
    demo.add_argument("--seed", type=int, default=2025, help="hạt giống ngẫu nhiên (2025)")
    demo.add_argument(
        "--scale", type=float, default=1.0, help="hệ số khối lượng (50 ≈ 5 triệu hồ sơ)"
    )
    demo.add_argument(
        "--scope",
        help="mã tỉnh, thành phố (31): hồ sơ mẫu cho mọi xã, phường của nó từ 1/7/2025 "
        "(khoảng 1,5 triệu hồ sơ một năm với --scale 1) thay cho Nam Sách",
    )
    demo.set_defaults(func=_cmd_demo_data)

    files = sub.add_parser(
        "demo-files",
        help="ghi danh mục TTHC, phản ánh kiến nghị, phiếu hài lòng, số hồ sơ đồng bộ "
        "của dữ liệu mẫu ra tệp (.xlsx, .csv) theo mẫu nhập",
    )
    files.add_argument("--out", required=True, help="thư mục ghi các tệp")
    files.set_defaults(func=_cmd_demo_files)

    imp = sub.add_parser(
        "import", help="nhập hồ sơ và quá trình xử lý (.xlsx, .csv, .json) từ hệ thống một cửa"
    )
    imp.add_argument("file", nargs="+", help="tệp .xlsx, .csv hoặc .json (một hoặc nhiều)")
    imp.add_argument("--unit-default", help="mã đơn vị cho các dòng không ghi đơn vị")
    imp.add_argument("--partial", action="store_true", help="nhập các dòng hợp lệ, loại dòng lỗi")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    imp.add_argument("--user", help="người nhập (mặc định: tài khoản máy)")
    imp.add_argument("--rejected-out", help="ghi các dòng lỗi và lý do ra tệp CSV này")
    imp.set_defaults(func=_cmd_import)

    rb = sub.add_parser("rebuild-rollups", help="tính lại bảng tổng hợp từ hồ sơ")
    rb.set_defaults(func=_cmd_rebuild_rollups)

    tg = sub.add_parser("targets", help="xem hoặc đặt chỉ tiêu")
    tg.add_argument("action", choices=("list", "set"), nargs="?", default="list")
    tg.add_argument("indicator", nargs="?", help="khóa chỉ số, vd. online_payment")
    tg.add_argument("value", nargs="?", help="giá trị: 0.8 hoặc 80%% (số hồ sơ với chỉ số đếm)")
    tg.add_argument(
        "--from", dest="effective_from", default="2000-01-01", help="áp dụng từ ngày (YYYY-MM-DD)"
    )
    tg.add_argument("--unit", help="chỉ áp dụng cho đơn vị này")
    tg.add_argument("--source", help="văn bản giao chỉ tiêu")
    tg.set_defaults(func=_cmd_targets)
