"""The `tthc` command line: one module per group of commands (data, views, warnings,
officers, rhythm, mail, admin); this one builds the parser from them and runs a command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from dashboard.cli import admin, data, mail, officers, rhythm, views, warnings
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
    "output": "TỆP",
    "keep": "TÊN",
    "officer": "TÊN_CÁN_BỘ",
    "kind": "BƯỚC",
    "measure": "CHỈ_TIÊU",
    "merge": "TÊN",
    "indicator": "KHÓA_CHỈ_SỐ",
    "value": "GIÁ_TRỊ",
    "effective_from": "NGÀY",
    "source": "VĂN_BẢN",
    "as_of": "NGÀY",
    "date": "NGÀY",
    "days": "SỐ_NGÀY",
    "limit": "SỐ_DÒNG",
    "username": "TÊN",
    "name": "TÊN",
    "full_name": "HỌ_TÊN",
    "label": "TÊN_MÀN_HÌNH",
    "role": "VAI_TRÒ",
    "path": "TỆP",
    "email": "ĐỊA_CHỈ_THƯ",
}


def _vietnamese(text: str) -> str:
    return ARGPARSE_VI.get(text, text)


argparse._ = _vietnamese  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the test that checks the README documents it)."""
    parser = argparse.ArgumentParser(
        prog="tthc", description="Theo dõi cải cách thủ tục hành chính (TTHC)."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi log chi tiết")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (data, views, warnings, officers, rhythm, mail, admin):
        group.add_commands(sub)
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
