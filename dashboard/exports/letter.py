"""The letter (công văn) asking units below target to explain in writing, laid out as
Nghị định 30/2020/NĐ-CP sets out: issuing body and national motto side by side, number and
place-date, subject (V/v), "Kính gửi", body, recipients (Nơi nhận) and the signature block.
It is a draft to edit and sign: the number and the signer are left for the office."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dashboard.indicators.catalog import BY_KEY
from dashboard.indicators.scope import Era
from dashboard.report import BelowTarget
from dashboard.tabular import display_value, fmt_gap

FONT = "Times New Roman"  # the font NĐ 30 prescribes (Unicode TCVN 6909)


def _run(paragraph, text: str, size: float = 13, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(
    cell_or_doc,
    text: str = "",
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
):
    p = cell_or_doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    if text:
        _run(p, text, size, bold, italic)
    return p


def file_name(period_label: str) -> str:
    """cong-van-de-nghi-giai-trinh_quy-i-2025.docx"""
    from dashboard.exports.charts import file_name as ascii_name

    return ascii_name("cong van de nghi giai trinh", period_label, ext="docx")


def build(
    items: list[BelowTarget],
    era: Era,
    period_label: str,
    deadline: dt.date,
    today: dt.date,
) -> bytes:
    """The .docx letter for the units × indicators in `items`, from the office of the scope's
    era (UBND huyện Nam Sách before 1/7/2025, UBND thành phố Hải Phòng after)."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    left.paragraphs[0].text = ""
    _run(left.paragraphs[0], era.issuer.upper(), 12)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, (era.office or "Văn phòng").upper(), 12, bold=True)
    _para(left, "Số:      /VP-KSTTHC", 13)
    _para(left, f"V/v giải trình kết quả cải cách TTHC {period_label}", 12)
    right.paragraphs[0].text = ""
    _run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    _para(right, "―――――――――――", 10)
    _para(
        right,
        f"{era.place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        13,
        italic=True,
    )

    units: dict[int, list[BelowTarget]] = {}
    for r in items:
        units.setdefault(r.unit.id, []).append(r)
    _para(doc)
    recipients = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    _run(recipients, "Kính gửi: ", 14)
    _run(recipients, "; ".join(rs[0].unit.name for rs in units.values()) + ".", 14)
    office = era.office or "Văn phòng"
    system = f" {era.system}" if era.system else ""
    body = (
        f"Căn cứ kết quả theo dõi trên Hệ thống thông tin giải quyết thủ tục hành chính"
        f"{system}, trong {period_label}, các cơ quan, đơn vị dưới đây chưa đạt các chỉ tiêu "
        f"cải cách thủ tục hành chính theo chỉ đạo của {era.issuer}. {office} đề nghị Thủ "
        "trưởng các cơ quan, đơn vị giải trình bằng văn bản về nguyên nhân chưa đạt, kèm kế "
        f"hoạch khắc phục cụ thể, gửi về {office} trước ngày {deadline:%d/%m/%Y}."
    )
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_before = Pt(6)
    _run(p, body, 14)

    for n, rs in enumerate(units.values(), 1):
        p = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.space_before = Pt(6)
        _run(p, f"{n}. {rs[0].unit.name} (mã {rs[0].unit.code})", 14, bold=True)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            ("Chỉ tiêu", "Kết quả", "Mục tiêu", "Chênh lệch", "Số kỳ liên tiếp"),
            strict=True,
        ):
            cell.paragraphs[0].text = ""
            _run(cell.paragraphs[0], text, 12, bold=True)
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
                _run(cell.paragraphs[0], text, 12)

    p = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_before = Pt(6)
    _run(p, "Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.", 14)

    foot = doc.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    left.paragraphs[0].text = ""
    _run(left.paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    for line in ("- Như trên;", f"- Chủ tịch, các PCT {era.issuer} (để b/c);", "- Lưu: VT."):
        _para(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].text = ""
    _run(right.paragraphs[0], "TL. CHỦ TỊCH", 13, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, "CHÁNH VĂN PHÒNG", 13, bold=True)
    for _ in range(3):
        _para(right)
    _para(right, "(ký, ghi rõ họ tên)", 13, italic=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
