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


def _with_sheet(sheet_xml: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A real workbook (openpyxl's parts) whose first sheet is replaced by `sheet_xml`, kept
    in the zip as `part` (the workbook's relations pointing there)."""
    base = xlsx_bytes([["1", "HS-1"]], title=False, totals=False)
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    target = part.removeprefix("xl/").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            name = item.filename
            if name == "xl/worksheets/sheet1.xml":
                data, name = sheet_xml, part
            elif name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"/" + part.encode())
                data = data.replace(b"worksheets/sheet1.xml", target)
            zf.writestr(name, data)
    return out.getvalue()


_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"%s<sheetData>%s</sheetData></worksheet>"
)


def sparse_far_sheet() -> bytes:
    """A few KB: two cells, A1 and XFD400000, and a dimension declaring the range
    between them (16 384 columns x 400 000 rows: 200 GB if a reader builds it)."""
    return _with_sheet(
        _SHEET
        % (
            b'<dimension ref="A1:XFD400000"/>',
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
            b'<row r="400000"><c r="XFD400000" t="inlineStr"><is><t>y</t></is></c></row>',
        )
    )


def far_cell_sheet() -> bytes:
    """An honest-looking sheet with one stray value in the very last cell, XFD1048576, and
    no dimension at all."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>HS-%d</t></is></c></row>' % (i, i, i)
        for i in range(1, 6)
    )
    stray = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _with_sheet(_SHEET % (b"", rows + stray))


def cell_row_beyond_its_row() -> bytes:
    """A malformed sheet: the row says 2, its cell says row 900 000 and column ZZ."""
    return _with_sheet(
        _SHEET
        % (
            b"",
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
            b'<row r="2"><c r="ZZ900000"><v>1</v></c></row>',
        )
    )


def falsified_size_zip() -> bytes:
    """A workbook whose sheet's zip entry declares 100 bytes unpacked but holds far more: the
    directory passes the bomb check, the unpacking does not match it."""
    good = xlsx_bytes([["1", "HS-1"]] * 200, title=False, totals=False)
    src = zipfile.ZipFile(io.BytesIO(good))
    info = src.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(good)
    # The central directory's "uncompressed size" (offset 24 of its entry) and the local
    # header's (offset 22) both say 100 bytes.
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (pos := data.find(sig, start)) >= 0:
            name_len_at = pos + (28 if sig == b"PK\x01\x02" else 26)
            name_len = int.from_bytes(data[name_len_at : name_len_at + 2], "little")
            name_at = pos + (46 if sig == b"PK\x01\x02" else 30)
            if bytes(data[name_at : name_at + name_len]) == info.filename.encode():
                data[pos + offset : pos + offset + 4] = (100).to_bytes(4, "little")
            start = pos + 4
    return bytes(data)


def unplaced_cells_sheet() -> bytes:
    """Cells with no reference, which a reader places one after another: a row 400 000 of
    16 384 of them (a few KB packed) spans 6,5 billion cells."""
    wide = b'<row r="400000">' + b"<c><v>1</v></c>" * 16384 + b"</row>"
    return _with_sheet(
        _SHEET % (b"", b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' + wide)
    )


def many_parts_zip(parts: int = 6000) -> bytes:
    """A small workbook with thousands of empty parts beside its sheet."""
    base = xlsx_bytes([["1", "HS-1"]], title=False, totals=False)
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            zf.writestr(item, src.read(item.filename))
        for i in range(parts):
            zf.writestr(f"xl/media/p{i}.bin", b"")
    return out.getvalue()


_FAR = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>%s'


def far_cell_spellings() -> dict[str, bytes]:
    """The stray far cell written as XML allows and Excel never does, each a way past a scan
    that looks for Excel's own spelling only."""
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    prefixed = (
        b'<?xml version="1.0"?><x:worksheet xmlns:x="' + ns + b'"><x:sheetData>'
        b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>'
        b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
        b"</x:sheetData></x:worksheet>"
    )
    return {
        "single quotes": _with_sheet(
            _SHEET % (b"", _FAR % b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")
        ),
        "spaces around =": _with_sheet(
            _SHEET % (b"", _FAR % b'<row r = "1048576"><c r = "XFD1048576"><v>1</v></c></row>')
        ),
        "reference not first": _with_sheet(
            _SHEET % (b"", _FAR % b'<row r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>')
        ),
        "namespace prefix": _with_sheet(prefixed),
        "sheet outside worksheets/": _with_sheet(
            _SHEET % (b"", _FAR % b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
            part="xl/feuille.xml",
        ),
    }


def shared_string_amplifier(cells: int = 400, length: int = 1 << 20) -> bytes:
    """One shared string of `length` characters used by `cells` cells: a few KB packed, and
    a reader holds a copy per cell (400 MB)."""
    base = xlsx_bytes([["1", "HS-1"]], title=False, totals=False)
    src = zipfile.ZipFile(io.BytesIO(base))
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, cells + 1)
    )
    sst = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" count="1" uniqueCount="1"><si><t>' + b"a" * length + b"</t></si></sst>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _SHEET % (b"", rows)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            zf.writestr(item, data)
        zf.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()
