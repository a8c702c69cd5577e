"""The period's report in words (Báo cáo kết quả giải quyết TTHC tháng/quý …) as .docx, laid
out as the letter (Nghị định 30/2020/NĐ-CP): the assessment's sections as its body. A draft
to edit and sign: the number and the signer are left for the office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dashboard.domain import naming
from dashboard.domain.assessment_facts import Section
from dashboard.domain.scope import Era
from dashboard.exports.nd30 import body, footer, header, new_document, para, save


def title(period_label: str) -> str:
    """'Kết quả giải quyết thủ tục hành chính quý I/2025'."""
    return f"Kết quả giải quyết thủ tục hành chính {period_label[:1].lower()}{period_label[1:]}"


def file_name(period_label: str, words: Sequence[str] = ()) -> str:
    """bao-cao-ket-qua-giai-quyet-tthc_quy-i-2025.docx"""
    # The filter's words go between the name and the period (exports/naming.py).
    return naming.file_name("bao cao ket qua giai quyet tthc", words, period_label, "docx")


def build(
    sections: Sequence[Section],
    era: Era,
    scope_name: str,
    period_label: str,
    today: dt.date,
    field: str | None = None,
) -> bytes:
    """The .docx report of `sections` for the scope, from the office of the scope's era."""
    doc = new_document()
    header(doc, era, "BC-VP", None, today)
    para(doc)
    para(doc, "BÁO CÁO", 14, bold=True)
    para(doc, title(period_label), 14, bold=True)
    if field:
        para(doc, f"(lĩnh vực {field})", 14, italic=True)
    para(doc, "―――――――", 10)
    office = era.office or "Văn phòng"
    body(
        doc,
        f"{office} báo cáo kết quả giải quyết thủ tục hành chính {period_label[:1].lower()}"
        f"{period_label[1:]} của {scope_name}, tổng hợp từ Hệ thống thông tin giải quyết thủ "
        f"tục hành chính{f' {era.system}' if era.system else ''}, như sau:",
    )
    for i, s in enumerate(sections, 1):
        body(doc, f"{i}. {s.title}", bold=True, indent=False)
        for p in s.paragraphs:
            body(doc, p)
    footer(
        doc,
        (f"- Chủ tịch, các PCT {era.issuer} (để b/c);", "- Lưu: VT."),
        ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    )
    return save(doc)
