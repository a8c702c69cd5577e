"""The scheduled jobs' letters: each unit its own morning digest, the office all of them; the
17:00 report to leadership and the office with its charts inline and its workbook attached;
the monthly pack's files to the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from dashboard.delivery.letters import Letter
from dashboard.domain.formatting import fmt_date
from dashboard.exports import daily_report as report_files
from dashboard.exports import warnings as digest_files
from dashboard.exports.tables import to_xlsx
from dashboard.services.daily_report import DailyReport
from dashboard.services.warning_view import WarningView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {
    ".xlsx": XLSX,
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# What the monthly letter carries (the .pptx is for the screen, and large: it stays on disk).
MONTHLY_ATTACHED = (".pdf", ".xlsx", ".docx")


def digest(view: WarningView, texts: Sequence[str]) -> tuple[list[Letter], Letter]:
    """(each unit's own letter: its message, `texts` as the digest's files hold them, and
    its list; the office's letter: every message and the workbook of all units)."""
    w, day = view.warnings, view.warnings.as_of
    subtitle = digest_files.list_subtitle(w, view.newest)
    mine = []
    for uw, text in zip(w.units, texts, strict=True):
        book = to_xlsx([digest_files.unit_table(uw, w.dossiers, subtitle)])
        mine.append(
            Letter(
                kind="digest",
                day=day,
                unit_code=uw.unit.code,
                subject=f"Hồ sơ cần xử lý ngày {fmt_date(day)} – {digest_files.addressee(uw.unit)}",
                text=text + "\n",
                attachments=[(f"Hồ sơ cần xử lý {day:%d-%m-%Y} {uw.unit.name}.xlsx", XLSX, book)],
            )
        )
    office = Letter(
        kind="digest",
        day=day,
        unit_code="",
        subject=f"Tin nhắn buổi sáng ngày {fmt_date(day)} – {w.era.name}: {len(w.units)} đơn vị",
        text="\n\n".join(texts) + "\n",
        attachments=[
            (
                f"Cảnh báo hồ sơ {day:%d-%m-%Y}.xlsx",
                XLSX,
                digest_files.workbook(w, view.newest, w.dossiers),
            )
        ],
    )
    return mine, office


def daily(
    r: DailyReport, scope_name: str, images: Sequence[tuple[str, bytes]], book: bytes
) -> Letter:
    """The 17:00 report: text, HTML with the charts by content id, the workbook attached."""
    ids = [f"{Path(name).stem.replace('_', '-')}@tthc" for name, _ in images]
    return Letter(
        kind="daily_report",
        day=r.day,
        unit_code="",
        subject=report_files.subject(r, scope_name),
        text=report_files.text(r, scope_name) + "\n",
        html=report_files.to_html(r, scope_name, [f"cid:{i}" for i in ids]),
        images=[(i, png) for i, (_, png) in zip(ids, images, strict=True)],
        attachments=[(f"Báo cáo 17h ngày {r.day:%d-%m-%Y}.xlsx", XLSX, book)],
    )


def monthly(day: dt.date, period_label: str, files: Sequence[Path]) -> Letter:
    """The month's pack: the PDF, the workbook and the letter asking for explanations."""
    attached = [f for f in files if f.suffix in MONTHLY_ATTACHED]
    return Letter(
        kind="monthly_report",
        day=day,
        unit_code="",
        subject=f"Bộ báo cáo cải cách TTHC {period_label.lower()}",
        text=(
            f"Bộ báo cáo {period_label.lower()} (trình chiếu PDF, bảng số liệu Excel, công văn đề "
            "nghị giải trình) đính kèm. Bản trình chiếu .pptx ở thư mục báo cáo trên máy chủ.\n"
        ),
        attachments=[(f.name, MIME[f.suffix], f.read_bytes()) for f in attached],
    )
