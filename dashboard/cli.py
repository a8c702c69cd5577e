"""The `tthc` command line."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from dashboard import cli_admin
from dashboard.indicators import clock
from dashboard.settings import Settings

# argparse takes its own words (usage, options, errors) from gettext; the command line speaks
# Vietnamese like the rest, so they are given here.
ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "giá trị không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn không rõ: %(option)s có thể là %(matches)s"
    ),
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
}


# The placeholder shown for each flag's value (argparse would print the English dest: PERIOD).
METAVARS_VI = {
    "period": "KỲ",
    "fields": "LĨNH_VỰC",
    "field": "LĨNH_VỰC",
    "procedures": "MÃ_THỦ_TỤC",
    "procedure": "MÃ_THỦ_TỤC",
    "unit_page": "MÃ_ĐƠN_VỊ",
    "units": "MÃ_ĐƠN_VỊ",
    "unit": "MÃ_ĐƠN_VỊ",
    "unit_default": "MÃ_ĐƠN_VỊ",
    "min_periods": "SỐ_KỲ",
    "out": "THƯ_MỤC",
    "folder": "THƯ_MỤC",
    "deadline": "HẠN",
    "file": "TỆP",
    "province": "MÃ_TỈNH",
    "scope": "MÃ_TỈNH",
    "seed": "SỐ",
    "scale": "HỆ_SỐ",
    "host": "ĐỊA_CHỈ",
    "port": "CỔNG",
    "threads": "SỐ_LUỒNG",
    "connection_limit": "SỐ_KẾT_NỐI",
    "channel_timeout": "GIÂY",
    "user": "NGƯỜI_NHẬP",
    "rejected_out": "TỆP_CSV",
    "indicator": "KHÓA_CHỈ_SỐ",
    "value": "GIÁ_TRỊ",
    "effective_from": "NGÀY",
    "source": "VĂN_BẢN",
    "as_of": "NGÀY",
    "days": "SỐ_NGÀY",
    "limit": "SỐ_DÒNG",
    "username": "TÊN",
    "name": "TÊN",
    "full_name": "HỌ_TÊN",
    "label": "TÊN_MÀN_HÌNH",
    "role": "VAI_TRÒ",
    "path": "TỆP",
}


def _vietnamese(text: str) -> str:
    return ARGPARSE_VI.get(text, text)


argparse._ = _vietnamese  # type: ignore[attr-defined]


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.app import create_app

    started = time.perf_counter()
    app = create_app(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Sẵn sàng sau {time.perf_counter() - started:.1f} s: http://{host}:{port}", flush=True)
    app.run(host=host, port=port, debug=args.debug)
    return 0


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt
    from pathlib import Path

    from dashboard import context
    from dashboard.exports import pack
    from dashboard.indicators.periods import parse_period
    from dashboard.query import ViewQuery

    engine = cli_admin.open_database(settings, reading=True)
    period = parse_period(args.period)
    out = Path(args.out)
    if args.form:
        return _write_form06(
            engine, settings, ViewQuery(period=period.key, fields=tuple(args.field or ())), out
        )
    deadline = (
        dt.datetime.strptime(args.deadline, "%d/%m/%Y").date()
        if args.deadline
        else clock.today() + dt.timedelta(days=7)
    )
    with context.standalone(engine, settings):
        built = pack.build(ViewQuery(period=period.key), out, deadline)
    for path in built.files:
        print(f"{path}  {path.stat().st_size / 1024:,.0f} KiB".replace(",", "."))
    print(f"Bộ báo cáo {period.label}: {built.images} biểu đồ, {built.seconds:.1f} s.")
    return 0


def _write_form06(engine, settings: Settings, q, out) -> int:
    """Biểu 06 into `out` (a folder), and its rows by field on stdout."""

    from dashboard import context, entries, tabular
    from dashboard.exports import form06
    from dashboard.indicators.form06 import NUMBERED, total

    with context.standalone(engine, settings):
        form = entries.form06(q)
    out.mkdir(parents=True, exist_ok=True)
    path = out / form06.file_name(form.period.label)
    path.write_bytes(
        form06.workbook(
            form.by_field, form.by_unit, form.era, form.era.name, form.period, clock.today()
        )
    )
    rows = [*form.by_field, total(form.by_field)] if form.by_field else []
    heads = ["Lĩnh vực", *NUMBERED[2:]]
    table = [dict(zip(heads, [r.name, *[tabular.fmt_int(v) for v in r.columns()]], strict=True))
             for r in rows]  # fmt: skip
    if table:
        print(tabular.to_text(table, [(h, h) for h in heads]))
    print(f"{path}  ({form.period.label}, {form.era.name})")
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
            progress=lambda k: print(f"  … {k:,} hồ sơ", file=sys.stderr, flush=True),
            province=args.scope,
        )
    print(f"Đã tạo {n:,} hồ sơ mẫu trong {time.perf_counter() - started:.1f} s.")
    return 0


FORMATS = ("table", "csv", "json")


def _cmd_rebuild_rollups(_args: argparse.Namespace, settings: Settings) -> int:
    from data_access import rollups
    from data_access.bootstrap import backfill_response_minutes

    engine = cli_admin.open_database(settings)
    started = time.perf_counter()
    with engine.begin() as conn:
        n = backfill_response_minutes(conn, settings.work_calendar(), everything=True)
        rollups.rebuild(conn)
    print(f"Đã tính lại thời gian phản hồi của {n:,} hồ sơ trực tuyến.")
    print(f"Đã tính lại bảng tổng hợp trong {time.perf_counter() - started:.1f} s.")
    return 0


def _emit(
    rows: list[dict], columns: tuple[str, ...], text_columns: list[tuple[str, str]], fmt: str
) -> None:
    from dashboard import tabular

    if fmt == "csv":
        sys.stdout.write(tabular.to_csv(rows, columns))
    elif fmt == "json":
        sys.stdout.write(tabular.to_json(rows) + "\n")
    else:
        sys.stdout.write(tabular.to_text(rows, text_columns) + "\n")


def _view(args: argparse.Namespace, settings: Settings, entry):
    """Run a view's entry (`dashboard/entries.py`) for the command's flags: the figures the
    page and its downloads show for the same query."""
    from dashboard import context
    from dashboard.query import ViewQuery

    engine = cli_admin.open_database(settings, reading=True)
    with context.standalone(engine, settings):
        return entry(ViewQuery.from_cli(args))


def _cmd_indicators(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard import entries, tabular

    rep = _view(args, settings, entries.indicators)
    rows = tabular.indicator_rows(rep, include_parent=not args.unit)
    if args.indicator:
        rows = [r for r in rows if r["indicator"] in args.indicator]
    print(f"{rep.era.name} · {rep.period.label} · {len(rep.units)} đơn vị", file=sys.stderr)
    if rep.how_counted:
        print(rep.how_counted, file=sys.stderr)
    _emit(
        rows,
        tabular.INDICATOR_COLUMNS,
        [
            ("unit_code", "Mã"),
            ("unit_name", "Đơn vị"),
            ("indicator_name", "Chỉ số"),
            ("numerator", "Tử số"),
            ("denominator", "Mẫu số"),
            ("value", "Giá trị"),
            ("target", "Chỉ tiêu"),
            ("status", "Đánh giá"),
        ],
        args.format,
    )
    return 0


def _cmd_assessment(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from dashboard import entries
    from dashboard.indicators.assessment import as_text

    words = _view(args, settings, entries.assessment)
    if args.format == "json":
        sections = [{"title": s.title, "paragraphs": list(s.paragraphs)} for s in words.sections]
        print(json.dumps(sections, ensure_ascii=False, indent=1))
    else:
        print(f"NHẬN XÉT, ĐÁNH GIÁ {words.period.label.upper()} — {words.scope}")
        print(as_text(words.sections))
    return 0


def _cmd_league(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard import entries, tabular
    from dashboard.indicators.periods import parse_period

    rows = _view(args, settings, entries.league)
    period = parse_period(args.period)
    flat = tabular.league_rows(period.key, rows, args.by)
    for r in flat:
        r["display"] = (
            tabular.display_value(args.by, r["value"])
            if args.by
            else tabular.fmt_percent(r["value"])
        )
    print(
        f"{period.label} · xếp hạng theo {args.by or 'điểm 766 (tỷ lệ điểm tối đa)'}",
        file=sys.stderr,
    )
    _emit(
        flat,
        tabular.LEAGUE_COLUMNS,
        [
            ("rank", "Hạng"),
            ("movement", "Tăng/giảm"),
            ("unit_code", "Mã"),
            ("unit_name", "Đơn vị"),
            ("display", "Giá trị"),
        ],
        args.format,
    )
    return 0


def _cmd_below_target(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard import entries, tabular

    below = _view(args, settings, entries.below_target)
    rows = tabular.below_rows(below.period.key, below.shown)
    print(f"{below.period.label} · {len(rows)} chỉ số không đạt", file=sys.stderr)
    _emit(
        rows,
        tabular.BELOW_COLUMNS,
        [
            ("unit_code", "Mã"),
            ("unit_name", "Đơn vị"),
            ("indicator_name", "Chỉ số"),
            ("value", "Giá trị"),
            ("target", "Chỉ tiêu"),
            ("gap", "Chênh lệch"),
            ("consecutive_periods", "Số kỳ liên tiếp"),
            ("explanation", "Giải trình"),
        ],
        args.format,
    )
    return 0


def _cmd_dossiers(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard import entries, tabular

    uv = _view(args, settings, entries.unit)
    if uv is None:
        raise ValueError(f"Không có đơn vị mã «{args.unit_page}» trong kỳ")
    rows = tabular.problem_rows(uv.problems, uv.period.end)
    print(
        f"{uv.unit.unit.name} · {uv.period.label} · {len(rows)} hồ sơ quá hạn, tạm dừng, trả lại",
        file=sys.stderr,
    )
    _emit(
        rows,
        tabular.PROBLEM_COLUMNS,
        [
            ("kind", "Loại"),
            ("code", "Mã hồ sơ"),
            ("procedure", "Thủ tục"),
            ("received", "Tiếp nhận"),
            ("due", "Hẹn trả"),
            ("finished", "Có kết quả"),
            ("days_late", "Số ngày trễ"),
            ("status", "Trạng thái"),
        ],
        args.format,
    )
    return 0


def _cmd_warnings(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard import entries
    from dashboard.exports import warnings as files

    view = _view(args, settings, lambda q: entries.warnings(q, outlook=False))
    w = view.warnings
    print(
        f"{w.era.name} · {files.as_of_text(w, view.newest)} · sắp đến hạn "
        f"{files.horizon_text(w)} · {len(w.dossiers)} hồ sơ cần xử lý",
        file=sys.stderr,
    )
    if stale := files.stale_text(w, view.newest, view.missing_day):
        print(f"Lưu ý: {stale}", file=sys.stderr)
    if args.summary:
        _emit(
            files.summary_rows(w),
            files.SUMMARY_KEYS,
            [("unit_code", "Mã"), ("unit_name", "Đơn vị")]
            + [(c.value, c.label) for c in files.ORDER],
            args.format,
        )
        return 0
    _emit(
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

    from dashboard import entries
    from dashboard.exports import warnings as files

    view = _view(args, settings, entries.warnings)
    stale = files.stale_text(view.warnings, view.newest, view.missing_day)
    if stale:
        print(f"Lưu ý: {stale}", file=sys.stderr)
    digest = files.write_digest(view.warnings, view.outlooks, view.newest, Path(args.out), stale)
    for path in digest.files:
        print(path)
    print(
        f"{files.as_of_text(view.warnings, view.newest)}: {digest.units} đơn vị, "
        f"{digest.warned} hồ sơ cần xử lý.",
        file=sys.stderr,
    )
    return 0


def _cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from dashboard.indicators.catalog import BY_KEY, CATALOG
    from data_access import queries, targets

    engine = cli_admin.open_database(settings)
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


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    import getpass
    from pathlib import Path

    from data_access.importer import import_file
    from data_access.importer.config import load_mapping

    engine = cli_admin.open_database(settings)
    started = time.perf_counter()
    report = import_file(
        engine,
        args.file,
        user=args.user or f"cli:{getpass.getuser()}",
        partial=args.partial,
        dry_run=args.dry_run,
        unit_default=args.unit_default,
        calendar=settings.work_calendar(),
        mapping=load_mapping(settings.import_mapping),
    )
    out = sys.stdout if report.ok else sys.stderr
    for line in report.summary():
        print(line, file=out)
    print(f"({time.perf_counter() - started:.1f} s)", file=out)
    if args.rejected_out and report.rejected_cells:
        Path(args.rejected_out).write_bytes(report.rejected_csv())
        print(f"Các dòng lỗi đã ghi vào {args.rejected_out}", file=out)
    return 0 if report.ok else 1


def _add_view(p: argparse.ArgumentParser, command: str) -> None:
    from dashboard.query import COMMANDS, add_cli_flags

    add_cli_flags(p, COMMANDS[command])
    p.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the test that checks the README documents it)."""
    from dashboard.query import COMMANDS, add_cli_flags

    parser = argparse.ArgumentParser(
        prog="tthc", description="Theo dõi cải cách thủ tục hành chính (TTHC)."
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

    imp = sub.add_parser("import", help="nhập danh sách hồ sơ (.xlsx, .csv) từ hệ thống một cửa")
    imp.add_argument("file", help="tệp .xlsx hoặc .csv")
    imp.add_argument("--unit-default", help="mã đơn vị cho các dòng không ghi đơn vị")
    imp.add_argument("--partial", action="store_true", help="nhập các dòng hợp lệ, loại dòng lỗi")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    imp.add_argument("--user", help="người nhập (mặc định: tài khoản máy)")
    imp.add_argument("--rejected-out", help="ghi các dòng lỗi và lý do ra tệp CSV này")
    imp.set_defaults(func=_cmd_import)

    rp = sub.add_parser(
        "report", help="bộ báo cáo giao ban (.pptx, .pdf, .xlsx) và công văn đề nghị giải trình"
    )
    rp.add_argument("--period", required=True, help="kỳ: 2025-Q1, 2025-03, 2025 …")
    rp.add_argument("--out", required=True, help="thư mục ghi các tệp")
    rp.add_argument("--deadline", help="hạn gửi giải trình dd/mm/yyyy (mặc định: sau 7 ngày)")
    rp.add_argument(
        "--form", choices=("06",), help="chỉ lập biểu thống kê: 06 = Biểu số 06/VPCP/KSTT (.xlsx)"
    )
    rp.add_argument("--field", action="append", help="chỉ lĩnh vực này (với --form)")
    rp.set_defaults(func=_cmd_report)
    rb = sub.add_parser("rebuild-rollups", help="tính lại bảng tổng hợp từ hồ sơ")
    rb.set_defaults(func=_cmd_rebuild_rollups)

    ind = sub.add_parser("indicators", help="các chỉ số theo đơn vị cho một kỳ")
    _add_view(ind, "indicators")
    ind.add_argument("--indicator", action="append", help="chỉ lấy chỉ số này (khóa)")
    ind.set_defaults(func=_cmd_indicators)

    ass = sub.add_parser("assessment", help="nhận xét, đánh giá kết quả của kỳ (văn bản)")
    add_cli_flags(ass, COMMANDS["assessment"])
    ass.add_argument("--format", choices=("text", "json"), default="text", help="text | json")
    ass.set_defaults(func=_cmd_assessment)

    lg = sub.add_parser("league", help="bảng xếp hạng xã, thị trấn hoặc phòng chuyên môn")
    _add_view(lg, "league")
    lg.set_defaults(func=_cmd_league)

    below = sub.add_parser("below-target", help="đơn vị × chỉ số không đạt chỉ tiêu")
    _add_view(below, "below-target")
    below.set_defaults(func=_cmd_below_target)

    warn = sub.add_parser(
        "warnings", help="hồ sơ đang mở cần xử lý: quá hạn, đến hạn, sắp đến hạn, chờ công dân"
    )
    _add_view(warn, "warnings")
    warn.add_argument("--summary", action="store_true", help="một dòng mỗi đơn vị: số hồ sơ")
    warn.set_defaults(func=_cmd_warnings)

    dig = sub.add_parser("digest", help="tin nhắn buổi sáng cho từng đơn vị và tệp Excel")
    add_cli_flags(dig, COMMANDS["digest"])
    dig.add_argument("--out", required=True, help="thư mục ghi các tệp")
    dig.set_defaults(func=_cmd_digest)

    dos = sub.add_parser("dossiers", help="hồ sơ quá hạn, tạm dừng, trả lại của một đơn vị")
    _add_view(dos, "dossiers")
    dos.set_defaults(func=_cmd_dossiers)

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
    cli_admin.add_commands(sub)
    _name_values(parser)
    return parser


def _name_values(parser: argparse.ArgumentParser) -> None:
    """Vietnamese placeholders for every flag's value, in every command."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = "LỆNH"
            for child in action.choices.values():
                _name_values(child)
        elif action.metavar is None and action.nargs != 0 and action.choices is None:
            action.metavar = METAVARS_VI.get(action.dest, action.dest.upper())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tthc` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args, Settings.from_env())
    except ValueError as exc:  # bad period, unknown unit/field/indicator: a message, not a trace
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
