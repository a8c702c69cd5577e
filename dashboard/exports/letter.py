"""The letter (công văn) asking units below target to explain in writing, laid out as
Nghị định 30/2020/NĐ-CP sets out: issuing body and national motto side by side, number and
place-date, subject (V/v), "Kính gửi", body, recipients (Nơi nhận) and the signature block.
It is a draft to edit and sign: the number and the signer are left for the office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dashboard.exports import naming
from dashboard.exports.nd30 import LEFT, body, footer, header, new_document, para, run, save
from dashboard.indicators.catalog import BY_KEY
from dashboard.indicators.scope import Era
from dashboard.report import BelowTarget
from dashboard.tabular import display_value, fmt_gap


def file_name(period_label: str, words: Sequence[str] = ()) -> str:
    """cong-van-de-nghi-giai-trinh_quy-i-2025.docx"""
    # The filter's words go between the name and the period (exports/naming.py).
    return naming.file_name("cong van de nghi giai trinh", words, period_label, "docx")


def build(
    items: list[BelowTarget],
    era: Era,
    period_label: str,
    deadline: dt.date,
    today: dt.date,
) -> bytes:
    """The .docx letter for the units × indicators in `items`, from the office of the scope's
    era (UBND huyện Nam Sách before 1/7/2025, UBND thành phố Hải Phòng after)."""
    doc = new_document()
    header(doc, era, "VP-KSTTHC", f"V/v giải trình kết quả cải cách TTHC {period_label}", today)

    units: dict[int, list[BelowTarget]] = {}
    for r in items:
        units.setdefault(r.unit.id, []).append(r)
    para(doc)
    recipients = para(doc, align=LEFT)
    run(recipients, "Kính gửi: ", 14)
    run(recipients, "; ".join(rs[0].unit.name for rs in units.values()) + ".", 14)
    office = era.office or "Văn phòng"
    system = f" {era.system}" if era.system else ""
    text = (
        f"Căn cứ kết quả theo dõi trên Hệ thống thông tin giải quyết thủ tục hành chính"
        f"{system}, trong {period_label}, các cơ quan, đơn vị dưới đây chưa đạt các chỉ tiêu "
        f"cải cách thủ tục hành chính theo chỉ đạo của {era.issuer}. {office} đề nghị Thủ "
        "trưởng các cơ quan, đơn vị giải trình bằng văn bản về nguyên nhân chưa đạt, kèm kế "
        f"hoạch khắc phục cụ thể, gửi về {office} trước ngày {deadline:%d/%m/%Y}."
    )
    body(doc, text)

    for n, rs in enumerate(units.values(), 1):
        body(doc, f"{n}. {rs[0].unit.name} (mã {rs[0].unit.code})", bold=True, indent=False)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            ("Chỉ tiêu", "Kết quả", "Mục tiêu", "Chênh lệch", "Số kỳ liên tiếp"),
            strict=True,
        ):
            cell.paragraphs[0].text = ""
            run(cell.paragraphs[0], text, 12, bold=True)
        for r in rs:
            ev = r.indicator
            values = (
                BY_KEY[ev.key].name_vi,
                display_value(ev.key, ev.value),
                display_value(ev.key, ev.target),
                fmt_gap(ev.key, ev.gap),
                str(r.consecutive_periods),
            )
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.paragraphs[0].text = ""
                run(cell.paragraphs[0], text, 12)

    body(doc, "Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.")
    footer(
        doc,
        ("- Như trên;", f"- Chủ tịch, các PCT {era.issuer} (để b/c);", "- Lưu: VT."),
        ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    )
    return save(doc)
