"""Build export files the way the provincial system (and people) make them."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile

import openpyxl

HEADER = [
    "STT",
    "Mã hồ sơ",
    "Đơn vị",
    "Mã TTHC",
    "Tên thủ tục",
    "Lĩnh vực",
    "Kênh nộp",
    "Ngày nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Trạng thái",
    "Phí, lệ phí",
    "Thanh toán trực tuyến",
    "Số hóa hồ sơ",
    "Kết quả điện tử",
    "Tái sử dụng dữ liệu",
    "Ghi chú",
]


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters Â Ê Ô Ă Ơ Ư precomposed, tones
    as combining marks (Python's codec alone cannot encode precomposed tones)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        letter = [m for m in parts[1:] if m in "\u0302\u0306\u031b"]
        tones = [m for m in parts[1:] if m not in letter]
        out.append(unicodedata.normalize("NFC", parts[0] + "".join(letter)) + "".join(tones))
    return "".join(out).encode("cp1258")


def csv_bytes(
    rows: list[list], header: list[str] = HEADER, title: bool = True, encoding: str = "utf-8-sig"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if title:
        writer.writerows([["DANH SÁCH HỒ SƠ"], ["Từ ngày 01/03/2025 đến ngày 31/03/2025"]])
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def xlsx_bytes(
    rows: list[list], header: list[str] = HEADER, title: bool = True, totals: bool = True
) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append(["UBND HUYỆN NAM SÁCH"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        ws.append(["DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH"])
        ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if totals:
        ws.append(["Tổng cộng", len(rows)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A small .xlsx whose sheet unpacks to 1 GiB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(1024):
                fh.write(block)
    return buf.getvalue()


def million_empty_rows() -> bytes:
    """A real workbook whose sheet declares and styles 1,000,005 rows, nearly all empty."""
    base = xlsx_bytes([["1", "HS-1"]], title=False, totals=False)
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:R2"/>', b'<dimension ref="A1:R1000005"/>')
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="1000005"><c r="A1000005" t="inlineStr"><is><t>'
                    b"</t></is></c></row></sheetData>",
                )
            zf.writestr(item, data)
    return out.getvalue()
