"""The letter (công văn) asking units below target to explain in writing, laid out as
Nghị định 30/2020/NĐ-CP sets out: issuing body and national motto side by side, number and
place-date, subject (V/v), "Kính gửi", body, recipients (Nơi nhận) and the signature block.
It is a draft to edit and sign: the number and the signer are left for the office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dashboard.domain import naming
from dashboard.domain.catalog import BY_KEY
from dashboard.domain.scope import Era
from dashboard.exports.nd30 import LEFT, body, footer, header, new_document, para, run, save
from dashboard.exports.warnings import addressee
from dashboard.services.standing import BelowTarget
from dashboard.services.tabular import display_value, fmt_gap


def file_name(period_label: str, words: Sequence[str] = (), ext: str = "docx") -> str:
    """cong-van-de-nghi-giai-trinh_quy-i-2025.docx"""
    # The filter's words go between the name and the period (exports/naming.py).
    return naming.file_name("cong van de nghi giai trinh", words, period_label, ext)


def by_unit(items: Sequence[BelowTarget]) -> list[list[BelowTarget]]:
    """The units × indicators grouped by unit, in the list's order."""
    units: dict[int, list[BelowTarget]] = {}
    for r in items:
        units.setdefault(r.unit.id, []).append(r)
    return list(units.values())


def _letter(doc, rows: list[BelowTarget], era: Era, period_label: str, deadline: dt.date,
            today: dt.date) -> None:  # fmt: skip
    unit = rows[0].unit
    header(doc, era, "VP-KSTTHC", f"V/v giải trình kết quả cải cách TTHC {period_label}", today)
    para(doc)
    recipients = para(doc, align=LEFT)
    run(recipients, "Kính gửi: ", 14)
    run(recipients, f"{addressee(unit)}.", 14)
    office = era.office or "Văn phòng"
    system = f" {era.system}" if era.system else ""
    misses = len(rows)
    text = (
        f"Căn cứ kết quả theo dõi trên Hệ thống thông tin giải quyết thủ tục hành chính"
        f"{system}, trong {period_label}, {unit.name} (mã {unit.code}) chưa đạt {misses} chỉ "
        f"tiêu cải cách thủ tục hành chính theo chỉ đạo của {era.issuer}, cụ thể như sau:"
    )
    body(doc, text)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, heading in zip(
        table.rows[0].cells,
        ("Chỉ số", "Kết quả", "Chỉ tiêu", "Chênh lệch", "Số kỳ liên tiếp"),
        strict=True,
    ):
        cell.paragraphs[0].text = ""
        run(cell.paragraphs[0], heading, 12, bold=True)
    for r in rows:
        ev = r.indicator
        values = (
            BY_KEY[ev.key].name_vi,
            display_value(ev.key, ev.value),
            display_value(ev.key, ev.target),
            fmt_gap(ev.key, ev.gap),
            str(r.consecutive_periods),
        )
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].text = ""
            run(cell.paragraphs[0], value, 12)
    body(
        doc,
        f"{office} đề nghị Thủ trưởng đơn vị giải trình bằng văn bản về nguyên nhân chưa đạt, "
        f"kèm kế hoạch khắc phục cụ thể, gửi về {office} trước ngày {deadline:%d/%m/%Y}./.",
    )
    footer(
        doc,
        ("- Như trên;", f"- Chủ tịch, các PCT {era.issuer} (để b/c);", "- Lưu: VT."),
        ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    )


def build(
    items: list[BelowTarget],
    era: Era,
    period_label: str,
    deadline: dt.date,
    today: dt.date,
) -> bytes:
    """One .docx holding one letter per unit in `items` (each on its own pages, addressed to
    that unit with its own rows), from the office of the scope's era (UBND huyện Nam Sách
    before 1/7/2025, UBND thành phố Hải Phòng after): printed, each page set is one letter."""
    doc = new_document()
    for n, rows in enumerate(by_unit(items)):
        if n:
            doc.add_page_break()
        _letter(doc, rows, era, period_label, deadline, today)
    if not items:
        header(doc, era, "VP-KSTTHC", f"V/v kết quả cải cách TTHC {period_label}", today)
        body(doc, f"Trong {period_label}, không đơn vị nào phải giải trình.")
    return save(doc)


def build_each(
    items: list[BelowTarget],
    era: Era,
    period_label: str,
    deadline: dt.date,
    today: dt.date,
) -> dict[str, bytes]:
    """Each unit's own letter as its own .docx, by file name (the unit in the name)."""
    out = {}
    for rows in by_unit(items):
        doc = new_document()
        _letter(doc, rows, era, period_label, deadline, today)
        out[file_name(period_label, [rows[0].unit.name])] = save(doc)
    return out
