"""The parts of an administrative document laid out as Nghị định 30/2020/NĐ-CP sets out:
A4 margins, Times New Roman, the issuing body and the national motto side by side with the
number and the place-date, and the recipients (Nơi nhận) beside the signature block. The
letter and the report share them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dashboard.domain.scope import Era

FONT = "Times New Roman"  # the font NĐ 30 prescribes (Unicode TCVN 6909)
CENTER, LEFT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def run(paragraph, text: str, size: float = 13, bold: bool = False, italic: bool = False):
    """A run of text in the document's font (east-Asian slot too, so Word keeps it)."""
    r = paragraph.add_run(text)
    r.font.name, r.font.size, r.bold, r.italic = FONT, Pt(size), bold, italic
    r._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return r


def para(
    cell_or_doc,
    text: str = "",
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align=CENTER,
):
    """A paragraph with no space after, holding `text` when given."""
    p = cell_or_doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    if text:
        run(p, text, size, bold, italic)
    return p


def body(doc, text: str, size: float = 14, bold: bool = False, indent: bool = True):
    """A justified paragraph of the body, first line indented."""
    p = para(doc, align=JUSTIFY)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_before = Pt(6)
    run(p, text, size, bold)
    return p


def new_document():
    """An A4 document with NĐ 30's margins and font."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def header(doc, era: Era, number: str, subject: str | None, today: dt.date) -> None:
    """Issuing body, number (and V/v subject of a letter) | national motto, place and date."""
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    left.paragraphs[0].text = ""
    run(left.paragraphs[0], era.issuer.upper(), 12)
    left.paragraphs[0].alignment = CENTER
    para(left, (era.office or "Văn phòng").upper(), 12, bold=True)
    para(left, f"Số:      /{number}", 13)
    if subject:
        para(left, subject, 12)
    right.paragraphs[0].text = ""
    run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    right.paragraphs[0].alignment = CENTER
    para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    para(right, "―――――――――――", 10)
    para(
        right,
        f"{era.place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        13,
        italic=True,
    )


def footer(doc, recipients: Sequence[str], signer: Sequence[str]) -> None:
    """Nơi nhận on the left; the signature block (authority, title, room to sign) right."""
    foot = doc.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    left.paragraphs[0].text = ""
    run(left.paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True)
    left.paragraphs[0].alignment = LEFT
    for line in recipients:
        para(left, line, 11, align=LEFT)
    right.paragraphs[0].text = ""
    run(right.paragraphs[0], signer[0], 13, bold=True)
    right.paragraphs[0].alignment = CENTER
    for line in signer[1:]:
        para(right, line, 13, bold=True)
    for _ in range(3):
        para(right)
    para(right, "(ký, ghi rõ họ tên)", 13, italic=True)


def save(doc) -> bytes:
    """The .docx bytes."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
