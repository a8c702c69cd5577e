"""Read an export (.xlsx or .csv bytes) into rows of cells, refusing hostile files early.

Each check runs before the expensive step it protects: the size before anything, the zip
directory before unpacking (bomb), the sheet's declared dimension before calamine builds
it, the encoding before parsing CSV.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

import python_calamine

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE files)


class FileRefused(ValueError):
    """The whole file is refused; the message is for the user (Vietnamese)."""


@dataclass
class RawTable:
    """Rows of cells; `row_numbers[i]` is the row number the user sees (Excel or CSV line)."""

    rows: list[list[Any]]
    row_numbers: list[int]
    kind: str
    notes: list[str] = field(default_factory=list)


def _cell_ref_rows(ref: str) -> int:
    m = re.search(r"(\d+)$", ref)
    return int(m.group(1)) if m else 0


def _check_zip(data: bytes, limits: dict) -> tuple[zipfile.ZipFile, list[str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefused("Tệp .xlsx bị hỏng hoặc không phải tệp Excel (không đọc được).") from exc
    total = sum(i.file_size for i in infos)
    if total > limits["max_uncompressed_mb"] * 1024 * 1024:
        raise FileRefused(
            f"Tệp .xlsx giải nén ra {total // (1024 * 1024)} MB, vượt giới hạn "
            f"{limits['max_uncompressed_mb']} MB (nghi là tệp nén độc hại)."
        )
    names = [i.filename for i in infos]
    if "xl/workbook.xml" not in names:
        raise FileRefused("Tệp không phải bảng tính Excel .xlsx (thiếu xl/workbook.xml).")
    notes = []
    sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    if sheets:
        with zf.open(sheets[0]) as fh:
            head = fh.read(4096)
        m = re.search(rb'<dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"', head)
        if m:
            last = (m.group(2) or m.group(1)).decode()
            rows = _cell_ref_rows(last)
            if rows > limits["max_rows"] + limits["header_search_rows"]:
                raise FileRefused(
                    f"Trang tính khai báo {rows:,} dòng, vượt giới hạn {limits['max_rows']:,} "
                    "dòng. Hãy xóa các dòng trống thừa hoặc chia nhỏ tệp.".replace(",", ".")
                )
        with zf.open(sheets[0]) as fh:
            formulas = 0
            while chunk := fh.read(1 << 20):
                formulas += chunk.count(b"<f>") + chunk.count(b"<f ")
        if formulas:
            notes.append(
                f"Có {formulas} ô công thức: đã lấy giá trị Excel lưu sẵn, không tính công thức."
            )
    return zf, notes


def _read_xlsx(data: bytes, limits: dict) -> RawTable:
    _zf, notes = _check_zip(data, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own errors for broken workbooks
        raise FileRefused(f"Không đọc được bảng tính: {exc}") from exc
    merged = sheet.merged_cell_ranges or []
    rows, numbers, empty_run = [], [], 0
    for i, row in enumerate(sheet.iter_rows()):
        if all(v in ("", None) for v in row):
            empty_run += 1
            if empty_run >= limits["empty_rows_end"]:
                notes.append(f"Dừng đọc ở dòng {i + 1 - empty_run}: sau đó chỉ có dòng trống.")
                break
            continue
        empty_run = 0
        rows.append(list(row))
        numbers.append(i + 1)
        if len(rows) > limits["max_rows"]:
            raise FileRefused(f"Tệp có hơn {limits['max_rows']:,} dòng dữ liệu.".replace(",", "."))
    # Merged header cells: copy the top-left value over the merged area (header rows only).
    index = {n: k for k, n in enumerate(numbers)}
    for (r0, c0), (r1, c1) in merged:
        if r0 >= limits["header_search_rows"] or (r0 + 1) not in index:
            continue
        value = rows[index[r0 + 1]][c0]
        for r in range(r0, r1 + 1):
            k = index.get(r + 1)
            if k is None:
                continue
            for c in range(c0, c1 + 1):
                if c < len(rows[k]) and rows[k][c] in ("", None):
                    rows[k][c] = value
    return RawTable(rows, numbers, "xlsx", notes)


def _decode(data: bytes) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "Tệp CSV không phải UTF-8 và không đọc được theo Windows-1258. "
            "Hãy lưu lại tệp dưới dạng «CSV UTF-8»."
        ) from exc
    # Windows-1258 writes tones as combining marks; NFC gives the usual precomposed letters.
    return unicodedata.normalize("NFC", text), [
        "Tệp CSV mã hóa Windows-1258 (không phải UTF-8): đã chuyển sang UTF-8, "
        "hãy kiểm tra dấu tiếng Việt trong báo cáo."
    ]


def _read_csv(data: bytes, limits: dict) -> RawTable:
    if b"\x00" in data[:4096]:
        raise FileRefused("Tệp .csv chứa dữ liệu nhị phân, không phải văn bản CSV.")
    text, notes = _decode(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(limits["max_cell_chars"] * 4, 131072))
    rows, numbers = [], []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            numbers.append(reader.line_num)
            if len(rows) > limits["max_rows"]:
                raise FileRefused(
                    f"Tệp có hơn {limits['max_rows']:,} dòng dữ liệu.".replace(",", ".")
                )
    except csv.Error as exc:
        raise FileRefused(
            f"Tệp CSV hỏng ở dòng {reader.line_num}: {exc} (ô quá dài hoặc dấu ngoặc kép lệch)."
        ) from exc
    return RawTable(rows, numbers, "csv", notes)


def read_table(data: bytes, file_name: str, limits: dict) -> RawTable:
    """Rows of the export; raises FileRefused with a Vietnamese message for a bad file."""
    max_bytes = limits["max_file_mb"] * 1024 * 1024
    if len(data) > max_bytes:
        raise FileRefused(
            f"Tệp {len(data) / 1048576:.1f} MB vượt giới hạn {limits['max_file_mb']} MB.".replace(
                ".", ","
            )
        )
    if not data.strip():
        raise FileRefused("Tệp rỗng.")
    name = file_name.lower()
    if data.startswith(OLE_MAGIC):
        raise FileRefused("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy lưu lại dưới dạng .xlsx.")
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if name.endswith((".xlsx", ".xlsm")):
        raise FileRefused("Tệp có đuôi .xlsx nhưng nội dung không phải bảng tính Excel.")
    if name.endswith((".csv", ".txt")):
        return _read_csv(data, limits)
    raise FileRefused("Chỉ nhận tệp .xlsx hoặc .csv.")
