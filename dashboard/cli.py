"""The `tthc` command line."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from dashboard.settings import Settings


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.app import create_app

    started = time.perf_counter()
    app = create_app(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Sẵn sàng sau {time.perf_counter() - started:.1f} s: http://{host}:{port}", flush=True)
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
    from data_access.reference import REFERENCE_DIR, load_reference

    engine = make_engine(settings.database_url)
    migrate(engine)
    with engine.begin() as conn:
        counts = load_reference(conn, Path(args.folder) if args.folder else REFERENCE_DIR)
    print(
        f"Danh mục: thêm {counts['inserted']}, cập nhật {counts['updated']}, "
        f"không đổi {counts['unchanged']}."
    )
    return 0


def _cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from data_access.db import make_engine, migrate
    from data_access.demo import generate_demo
    from data_access.reference import load_reference

    engine = make_engine(settings.database_url)
    migrate(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        load_reference(conn)
        n = generate_demo(
            conn,
            seed=args.seed,
            scale=args.scale,
            progress=lambda k: print(f"  … {k:,} hồ sơ", file=sys.stderr, flush=True),
        )
    print(f"Đã tạo {n:,} hồ sơ mẫu trong {time.perf_counter() - started:.1f} s.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the test that checks the README documents it)."""
    parser = argparse.ArgumentParser(
        prog="tthc", description="Theo dõi cải cách thủ tục hành chính (TTHC) cấp huyện."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi log chi tiết")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="chạy bảng theo dõi (tạo CSDL và dữ liệu mẫu nếu chưa có)")
    run.add_argument("--host", help="địa chỉ lắng nghe (mặc định TTHC_HOST)")
    run.add_argument("--port", type=int, help="cổng (mặc định TTHC_PORT)")
    run.add_argument("--debug", action="store_true", help="chế độ phát triển của Dash")
    run.set_defaults(func=_cmd_run)

    init = sub.add_parser("init-db", help="tạo / nâng cấp cấu trúc CSDL và nạp danh mục")
    init.set_defaults(func=_cmd_init_db)

    ref = sub.add_parser("load-reference", help="nạp danh mục đơn vị, lĩnh vực, thủ tục")
    ref.add_argument("folder", nargs="?", help="thư mục chứa units.csv và procedures.csv")
    ref.set_defaults(func=_cmd_load_reference)

    demo = sub.add_parser("demo-data", help="tạo dữ liệu hồ sơ mẫu (thay dữ liệu mẫu cũ)")
    demo.add_argument("--seed", type=int, default=2025, help="hạt giống ngẫu nhiên (2025)")
    demo.add_argument(
        "--scale", type=float, default=1.0, help="hệ số khối lượng (50 ≈ 5 triệu hồ sơ)"
    )
    demo.set_defaults(func=_cmd_demo_data)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tthc` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return args.func(args, Settings.from_env())


if __name__ == "__main__":
    sys.exit(main())
