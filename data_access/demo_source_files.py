"""The demo's 766 sources as the files an office receives (`tthc demo-files`): the catalogue
and the PAKN export as .xlsx, the satisfaction votes and sync counts as .csv (UTF-8 with
BOM, as Excel opens it), in the formats the importer reads.

Every file starts with the issuer's line, the file's title and a blank row, then the header
(with an STT column) and the rows; days are dd/mm/yyyy, months mm/yyyy, units by their code
(a code that names several units over time is told apart by the row's dates) and name.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Engine, select

from data_access.demo import DEMO_USER
from data_access.models import Dossier, Import, Unit
from data_access.score_models import FeedbackItem, ProcedureVersion, SatisfactionVote, SyncCount

ISSUER = "UBND THÀNH PHỐ HẢI PHÒNG"
YES_NO = {True: "Có", False: "Không"}
LEVELS = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã"}
ONLINE = {"toan_trinh": "Toàn trình", "mot_phan": "Một phần", "khong": "Không"}
CATEGORIES = {"tthc": "Thủ tục hành chính", "can_bo": "Hành vi cán bộ", "khac": "Khác"}
RATINGS = {"hai_long": "Hài lòng", "khong_hai_long": "Không hài lòng", "": ""}

CATALOGUE_HEADER = ("STT", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Lĩnh vực",
                    "Mức độ DVCTT", "Có phí, lệ phí", "Tích hợp thanh toán",
                    "Kết quả là giấy tờ", "Ngày quyết định công bố", "Ngày hiệu lực",
                    "Ngày hết hiệu lực", "Ngày công khai", "Số bộ phận công khai")  # fmt: skip
FEEDBACK_HEADER = ("STT", "Mã PAKN", "Mã đơn vị", "Đơn vị", "Ngày tiếp nhận", "Hạn xử lý",
                   "Ngày xử lý xong", "Phân loại", "Đánh giá")  # fmt: skip
MONTHLY_VOTES_HEADER = ("STT", "Mã đơn vị", "Đơn vị", "Tháng", "Số phiếu đánh giá",
                        "Số phiếu hài lòng")  # fmt: skip
DOSSIER_VOTES_HEADER = ("STT", "Mã hồ sơ", "Mã đơn vị", "Đơn vị", "Ngày đánh giá",
                        "Mức độ hài lòng")  # fmt: skip
SYNC_HEADER = ("STT", "Mã đơn vị", "Đơn vị", "Tháng", "Số hồ sơ đồng bộ")
# The files, in the order written: name, title, header.
FILES = {
    "catalogue": ("danh-muc-tthc.xlsx", "DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC CÔNG BỐ"),
    "feedback": ("pakn.xlsx", "DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ VỀ THỦ TỤC HÀNH CHÍNH"),
    "monthly_votes": (
        "hai-long-theo-thang.csv",
        "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG THEO THÁNG",
    ),
    "dossier_votes": (
        "hai-long-theo-ho-so.csv",
        "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG THEO HỒ SƠ",
    ),
    "sync": ("dong-bo.csv", "SỐ HỒ SƠ ĐỒNG BỘ LÊN CỔNG DỊCH VỤ CÔNG QUỐC GIA"),
}


def _day(value: dt.date | dt.datetime | None) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}"


def _month(value: dt.date) -> str:
    return f"{value:%m/%Y}"


def write_demo_source_files(engine: Engine, out_dir: Path | str) -> list[Path]:
    """Write the demo's catalogue, PAKN, satisfaction (by month, by dossier) and sync files
    into `out_dir` (created if missing); returns their paths (a source without rows writes no
    file). Only the demo's rows (those of the demo user's imports) go into them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    demo = select(Import.id).where(Import.user == DEMO_USER).scalar_subquery()
    with engine.connect() as conn:
        catalogue = conn.execute(
            select(ProcedureVersion)
            .where(ProcedureVersion.import_id.in_(demo))
            .order_by(ProcedureVersion.code, ProcedureVersion.effective_from)
        ).all()
        feedback = conn.execute(
            select(FeedbackItem, Unit.code.label("unit_code"), Unit.name.label("unit_name"))
            .join(Unit, Unit.id == FeedbackItem.unit_id)
            .where(FeedbackItem.import_id.in_(demo))
            .order_by(FeedbackItem.received_on, Unit.code, FeedbackItem.code)
        ).all()
        votes = conn.execute(
            select(
                SatisfactionVote,
                Unit.code.label("unit_code"),
                Unit.name.label("unit_name"),
                Dossier.finished_at,
            )
            .join(Unit, Unit.id == SatisfactionVote.unit_id)
            .outerjoin(
                Dossier,
                (Dossier.unit_id == SatisfactionVote.unit_id)
                & (Dossier.code == SatisfactionVote.dossier_code),
            )
            .where(SatisfactionVote.import_id.in_(demo))
            .order_by(SatisfactionVote.month, Unit.code, SatisfactionVote.dossier_code)
        ).all()
        sync = conn.execute(
            select(SyncCount, Unit.code.label("unit_code"), Unit.name.label("unit_name"))
            .join(Unit, Unit.id == SyncCount.unit_id)
            .where(SyncCount.import_id.in_(demo))
            .order_by(SyncCount.month, Unit.code)
        ).all()
    tables: dict[str, tuple[Sequence[str], list[list[Any]]]] = {
        "catalogue": (CATALOGUE_HEADER, [_catalogue_row(r) for r in catalogue]),
        "feedback": (FEEDBACK_HEADER, [_feedback_row(r) for r in feedback]),
        "monthly_votes": (
            MONTHLY_VOTES_HEADER,
            [
                [r.unit_code, r.unit_name, _month(r.month), r.votes, r.satisfied]
                for r in votes
                if not r.dossier_code
            ],
        ),
        "dossier_votes": (
            DOSSIER_VOTES_HEADER,
            [
                [
                    r.dossier_code,
                    r.unit_code,
                    r.unit_name,
                    _day(r.finished_at or r.month),
                    "Hài lòng" if r.satisfied else "Không hài lòng",
                ]
                for r in votes
                if r.dossier_code
            ],  # fmt: skip
        ),
        "sync": (
            SYNC_HEADER,
            [[r.unit_code, r.unit_name, _month(r.month), r.synced] for r in sync],
        ),
    }
    paths = []
    for key, (header, rows) in tables.items():
        if not rows:  # e.g. no vote per dossier in this demo: no file rather than an empty one
            continue
        name, title = FILES[key]
        numbered = [[n, *row] for n, row in enumerate(rows, 1)]
        path = out / name
        if name.endswith(".xlsx"):
            _write_xlsx(path, title, header, numbered)
        else:
            _write_csv(path, title, header, numbered)
        paths.append(path)
    return paths


def _catalogue_row(r: Any) -> list[Any]:
    return [
        r.code,
        r.name,
        LEVELS[r.level],
        r.field_name,
        ONLINE[r.online_level],
        YES_NO[r.has_fee],
        YES_NO[r.payment_integrated],
        YES_NO[r.paper_result],
        _day(r.decision_on),
        _day(r.effective_from),
        _day(r.effective_to),
        _day(r.published_on),
        r.parts_published,
    ]


def _feedback_row(r: Any) -> list[Any]:
    return [
        r.code,
        r.unit_code,
        r.unit_name,
        _day(r.received_on),
        _day(r.due_on),
        _day(r.handled_on),
        CATEGORIES[r.category],
        RATINGS[r.rating],
    ]


def _write_xlsx(path: Path, title: str, header: Sequence[str], rows: list[list[Any]]) -> None:
    """Title rows, a blank row, the header, the rows; dates as text, as the portal exports."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = "Danh sách"
    sheet.append([ISSUER])
    sheet.append([title])
    sheet.append([])
    sheet.append(list(header))
    for cell in (sheet["A1"], sheet["A2"], *sheet[4]):
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    book.save(path)


def _write_csv(path: Path, title: str, header: Sequence[str], rows: list[list[Any]]) -> None:
    """The same layout as the workbooks, in UTF-8 with a BOM (Excel reads the diacritics)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([[ISSUER], [title], [], list(header), *rows])
