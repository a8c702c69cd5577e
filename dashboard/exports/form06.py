"""Biểu số 06/VPCP/KSTT as .xlsx, laid out as the form: the issuing body and the national
motto, the title and period, three merged header rows, the column numbers (1) … (14), a row
per field (one sheet) or per unit (another), the total, and the signature block."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from dashboard.domain import naming
from dashboard.domain.form06 import NUMBERED, FormRow, total
from dashboard.domain.periods import Period
from dashboard.domain.scope import Era

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
FORM_NO = "Biểu số 06/VPCP/KSTT"
WIDTHS = [6, 38, 11, 11, 12, 14, 11, 11, 11, 11, 11, 11, 11, 14]
LAST = "N"  # the 14th column
NOTES = (
    "Ghi chú: (3) = (4) + (5) + (6) = (7) + (11) + (14). (4): hồ sơ tiếp nhận trước kỳ, chưa "
    "kết thúc đầu kỳ. (5), (6): hồ sơ được tiếp nhận trong kỳ (không tính hồ sơ chưa tiếp "
    "nhận, không tiếp nhận). (8): trả kết quả trước ngày hẹn trả; (9): trong ngày hẹn trả (kể "
    "cả hồ sơ không có ngày hẹn); (10): sau ngày hẹn trả. (12): đang giải quyết cuối kỳ, chưa "
    "quá hạn — kể cả hồ sơ chờ bổ sung, tạm dừng (đồng hồ dừng); (13): đã quá hạn. (14): rút, "
    "trả lại, từ chối — kết thúc không có kết quả, không tính là đã giải quyết."
)


def file_name(period_label: str, words: Sequence[str] = ()) -> str:
    """bieu-06-vpcp-kstt_quy-i-2025.xlsx"""
    # The filter's words go between the name and the period (exports/naming.py).
    return naming.file_name("bieu 06 vpcp kstt", words, period_label, "xlsx")


def _sheet(wb, title: str, first_header: str, rows: Sequence[FormRow], era: Era, scope: str,
           period: Period, today: dt.date) -> None:  # fmt: skip
    from openpyxl.styles import Alignment, Border, Font, Side

    ws = wb.create_sheet(title)
    bold, thin = Font(name="Times New Roman", bold=True), Side(style="thin")
    plain = Font(name="Times New Roman")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, w in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = w

    def put(cell: str, text: object, font=plain, align=center, merge: str | None = None) -> None:
        if merge:
            ws.merge_cells(f"{cell}:{merge}")
        ws[cell] = text
        ws[cell].font, ws[cell].alignment = font, align

    put("A1", era.issuer.upper(), plain, merge="D1")
    put("A2", (era.office or "Văn phòng").upper(), bold, merge="D2")
    put("I1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, merge="N1")
    put("I2", "Độc lập - Tự do - Hạnh phúc", bold, merge="N2")
    put("A3", FORM_NO, bold, merge="D3")
    put("A4", TITLE, Font(name="Times New Roman", bold=True, size=14), merge="N4")
    put(
        "A5",
        f"Kỳ báo cáo: {period.label} (từ ngày {period.start:%d/%m/%Y} đến ngày "
        f"{period.end:%d/%m/%Y}) · {scope}",
        Font(name="Times New Roman", italic=True),
        merge="N5",
    )
    put("A6", "Đơn vị tính: số hồ sơ thủ tục hành chính", plain, merge="N6")

    put("A8", "STT", bold, merge="A10")
    put("B8", first_header, bold, merge="B10")
    put("C8", "Số hồ sơ nhận giải quyết", bold, merge="F8")
    put("C9", "Tổng số", bold, merge="C10")
    put("D9", "Trong đó", bold, merge="F9")
    put("D10", "Số kỳ trước chuyển qua", bold)
    put("E10", "Số mới tiếp nhận trực tuyến", bold)
    put("F10", "Số mới tiếp nhận trực tiếp và qua dịch vụ bưu chính", bold)
    put("G8", "Kết quả giải quyết", bold, merge="M8")
    put("G9", "Số hồ sơ đã giải quyết", bold, merge="J9")
    put("G10", "Tổng số", bold)
    put("H10", "Trả trước hạn", bold)
    put("I10", "Trả đúng thời hạn", bold)
    put("J10", "Trả quá hạn", bold)
    put("K9", "Số hồ sơ đang giải quyết", bold, merge="M9")
    put("K10", "Tổng số", bold)
    put("L10", "Chưa đến hạn", bold)
    put("M10", "Quá hạn", bold)
    put("N8", "Rút, trả lại, từ chối (không tính là đã giải quyết)", bold, merge="N10")
    for i, label in enumerate(NUMBERED):
        put(f"{chr(ord('A') + i)}11", label, Font(name="Times New Roman", italic=True))
    ws.row_dimensions[10].height = 48

    body = [*rows, total(rows)]
    for n, r in enumerate(body):
        excel_row = 12 + n
        is_total = n == len(rows)
        font = bold if is_total else plain
        cells = ["" if is_total else n + 1, r.name, *r.columns()]
        for i, value in enumerate(cells):
            c = ws.cell(row=excel_row, column=i + 1, value=value)
            c.font = font
            c.alignment = Alignment(horizontal="left" if i == 1 else "center", wrap_text=i == 1)
            c.number_format = "#,##0"
    last_row = 11 + len(body)
    for row in ws.iter_rows(min_row=8, max_row=last_row, max_col=14):
        for c in row:
            c.border = box
    notes = last_row + 2
    put(f"A{notes}", NOTES, Font(name="Times New Roman", italic=True, size=10),
        Alignment(wrap_text=True, vertical="top"), merge=f"{LAST}{notes}")  # fmt: skip
    ws.row_dimensions[notes].height = 64
    sign = notes + 2
    put(f"I{sign}", f"{era.place}, ngày {today.day:02d} tháng {today.month:02d} năm "
        f"{today.year}", Font(name="Times New Roman", italic=True), merge=f"N{sign}")  # fmt: skip
    put(f"A{sign + 1}", "NGƯỜI LẬP BIỂU", bold, merge=f"D{sign + 1}")
    put(f"I{sign + 1}", "THỦ TRƯỞNG ĐƠN VỊ", bold, merge=f"N{sign + 1}")
    put(f"A{sign + 2}", "(Ký, ghi rõ họ tên)", Font(name="Times New Roman", italic=True),
        merge=f"D{sign + 2}")  # fmt: skip
    put(f"I{sign + 2}", "(Ký, đóng dấu, ghi rõ họ tên)",
        Font(name="Times New Roman", italic=True), merge=f"N{sign + 2}")  # fmt: skip
    ws.freeze_panes = "C12"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1


def workbook(
    by_field: Sequence[FormRow],
    by_unit: Sequence[FormRow],
    era: Era,
    scope: str,
    period: Period,
    today: dt.date,
) -> bytes:
    """The form as .xlsx: a sheet by field (when there are field rows) and a sheet by unit."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    if by_field:
        _sheet(wb, "Theo lĩnh vực", "Lĩnh vực giải quyết", by_field, era, scope, period, today)
    _sheet(wb, "Theo đơn vị", "Cơ quan, đơn vị giải quyết", by_unit, era, scope, period, today)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
