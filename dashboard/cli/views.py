"""`tthc indicators`, `assessment`, `league`, `below-target`, `dossiers`, `report`: what a page
and its downloads show, printed or written as files."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli.common import add_view, emit, open_database, view
from dashboard.domain import clock
from dashboard.domain.formatting import fmt_number
from dashboard.services import briefing_entries
from dashboard.settings import Settings


def _write_form06(engine, settings: Settings, q, out) -> int:
    """Biểu 06 into `out` (a folder), and its rows by field on stdout."""

    from dashboard.domain.form06 import NUMBERED, total
    from dashboard.exports import form06
    from dashboard.services import briefing_entries, context, tabular

    with context.standalone(engine, settings):
        form = briefing_entries.form06(q)
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


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt
    from pathlib import Path

    from dashboard.domain.periods import parse_period
    from dashboard.domain.query import ViewQuery
    from dashboard.exports import pack
    from dashboard.services import context

    engine = open_database(settings, reading=True)
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
    print(f"Bộ báo cáo {period.label}: {built.images} biểu đồ, {fmt_number(built.seconds, 1)} s.")
    return 0


def _cmd_indicators(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.services import entries, tabular

    rep = view(args, settings, entries.indicators)
    rows = tabular.indicator_rows(rep, include_parent=not args.unit)
    if args.indicator:
        rows = [r for r in rows if r["indicator"] in args.indicator]
    print(f"{rep.era.name} · {rep.period.label} · {len(rep.units)} đơn vị", file=sys.stderr)
    if rep.how_counted:
        print(rep.how_counted, file=sys.stderr)
    emit(
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


def _cmd_score766(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.services import entries, score766_rows

    rep = view(args, settings, entries.indicators)
    units = rep.units if args.unit else [*rep.units, rep.parent]
    notes = score766_rows.source_notes(open_database(settings, reading=True))
    rows = score766_rows.rows(units, notes)
    print(
        f"{rep.era.name} · {rep.period.label} · điểm 766 của {len(units)} đơn vị", file=sys.stderr
    )
    emit(
        rows,
        score766_rows.COLUMNS,
        [
            ("ma_don_vi", "Mã"),
            ("thanh_phan", "Thành phần"),
            ("diem", "Điểm"),
            ("diem_toi_da", "Tối đa"),
            ("nguon", "Nguồn"),
        ],
        args.format,
    )
    return 0


def _cmd_assessment(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from dashboard.domain.assessment import as_text

    words = view(args, settings, briefing_entries.assessment)
    if args.format == "json":
        sections = [{"title": s.title, "paragraphs": list(s.paragraphs)} for s in words.sections]
        print(json.dumps(sections, ensure_ascii=False, indent=1))
    else:
        print(f"NHẬN XÉT, ĐÁNH GIÁ {words.period.label.upper()} — {words.scope}")
        print(as_text(words.sections))
    return 0


def _cmd_league(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.domain.periods import parse_period
    from dashboard.services import entries, tabular

    rows = view(args, settings, entries.league)
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
    emit(
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
    from dashboard.services import entries, tabular

    below = view(args, settings, entries.below_target)
    rows = tabular.below_rows(below.period.key, below.shown)
    print(f"{below.period.label} · {len(rows)} chỉ số không đạt", file=sys.stderr)
    emit(
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
    from dashboard.services import entries, tabular

    uv = view(args, settings, entries.unit)
    if uv is None:
        raise ValueError(f"Không có đơn vị mã «{args.unit_page}» trong kỳ")
    rows = tabular.problem_rows(uv.problems, uv.period.end)
    print(
        f"{uv.unit.unit.name} · {uv.period.label} · {len(rows)} hồ sơ quá hạn, tạm dừng, trả lại",
        file=sys.stderr,
    )
    emit(
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


def add_commands(sub) -> None:
    """Add this group's commands to the `tthc` parser."""
    from dashboard.domain.query import COMMANDS, add_cli_flags

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

    ind = sub.add_parser("indicators", help="các chỉ số theo đơn vị cho một kỳ")
    add_view(ind, "indicators")
    ind.add_argument("--indicator", action="append", help="chỉ lấy chỉ số này (khóa)")
    ind.set_defaults(func=_cmd_indicators)

    s766 = sub.add_parser(
        "score766", help="điểm 766 theo đơn vị và thành phần, nguồn của từng con số"
    )
    add_view(s766, "score766")
    s766.set_defaults(func=_cmd_score766)

    ass = sub.add_parser("assessment", help="nhận xét, đánh giá kết quả của kỳ (văn bản)")
    add_cli_flags(ass, COMMANDS["assessment"])
    ass.add_argument("--format", choices=("text", "json"), default="text", help="text | json")
    ass.set_defaults(func=_cmd_assessment)

    lg = sub.add_parser("league", help="bảng xếp hạng xã, thị trấn hoặc phòng chuyên môn")
    add_view(lg, "league")
    lg.set_defaults(func=_cmd_league)

    below = sub.add_parser("below-target", help="đơn vị × chỉ số không đạt chỉ tiêu")
    add_view(below, "below-target")
    below.set_defaults(func=_cmd_below_target)

    dos = sub.add_parser("dossiers", help="hồ sơ quá hạn, tạm dừng, trả lại của một đơn vị")
    add_view(dos, "dossiers")
    dos.set_defaults(func=_cmd_dossiers)
