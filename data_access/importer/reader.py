"""Read an export (.xlsx or .csv bytes) into rows of cells, refusing hostile files early.

Each check runs before the expensive step it protects: the size before anything, the zip
directory before unpacking (bomb), every part unpacked as a stream and every sheet measured
by the cells it holds before calamine builds it (sheet_extent.py), the encoding before
parsing CSV. Files are read in a child process under limits (isolation.py).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import python_calamine

from data_access.importer.sheet_extent import (
    DamagedZip,
    Extent,
    SheetTooLarge,
    column_letters,
    scan_workbook,
)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE files)


class FileRefused(ValueError):
    """The whole file is refused; the message is for the user (Vietnamese)."""


@dataclass
class RawTable:
    """The non-blank rows of cells, as a 2-D array of objects (short rows padded with "");
    `row_numbers[i]` is the row number the user sees (Excel row or CSV line). Columns are
    what the importer works on: one array per column, each distinct value parsed once."""

    cells: np.ndarray
    row_numbers: list[int]
    kind: str
    notes: list[str] = field(default_factory=list)
    longest_cell: int | None = None  # known bound on a cell's length (None: not known)
    # The processing history the file carries beside its dossiers (a second sheet, the steps
    # of a national sync file), header row first; None when it has none.
    history: RawTable | None = None
    # Column j's distinct values and, for each row, where its cell stands among them (as the
    # reading child sent a text column back), or None: parsing starts from these instead of
    # factorizing the cells again. Only while `cells` is unchanged since.
    factorized: list[tuple[list[Any], np.ndarray] | None] | None = field(default=None, repr=False)

    @property
    def has_dossiers(self) -> bool:
        """Whether the file lists dossiers (a steps-only file does not)."""
        return self.cells.size > 0

    @property
    def rows(self) -> list[list[Any]]:
        """Every row as a list of cells."""
        return self.cells.tolist()

    def head(self, n: int) -> list[list[Any]]:
        """The first `n` rows as lists of cells (where the header is looked for)."""
        return self.cells[:n].tolist()


def _cells(rows: list[list[Any]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    if any(len(r) != width for r in rows):
        rows = [r + [""] * (width - len(r)) for r in rows]
    out = np.empty((len(rows), width), dtype=object)
    if rows:
        out[:] = rows
    return out


_DAMAGED = {
    "size": "Tệp .xlsx bị hỏng: phần {part} giải nén ra không khớp với kích thước và mã kiểm "
    "tra khai báo trong tệp nén (tệp bị sửa hoặc tải về không trọn). Hãy tải lại tệp từ hệ "
    "thống, hoặc mở rồi lưu lại bằng Excel.",
    "compression": "Tệp .xlsx nén phần {part} theo kiểu Excel không dùng: hãy mở tệp rồi lưu "
    "lại bằng Excel.",
    "encrypted": "Tệp .xlsx được đặt mật khẩu (phần {part} bị mã hóa): hãy bỏ mật khẩu rồi "
    "lưu lại.",
}


def _check_zip(data: bytes, limits: dict) -> zipfile.ZipFile:
    """The zip's directory (bomb), then every part unpacked once as a stream (sizes as
    declared) and every sheet measured by the cells it holds: refused here, before calamine
    allocates the sheet as one block from A1 to its furthest cell."""
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
    if len(infos) > limits["max_zip_entries"]:
        raise FileRefused(
            f"Tệp .xlsx chứa {_n(len(infos))} phần, quá nhiều cho một bảng tính (giới hạn "
            f"{_n(limits['max_zip_entries'])}): tệp không phải bảng tính xuất từ hệ thống."
        )
    if "xl/workbook.xml" not in (i.filename for i in infos):
        raise FileRefused("Tệp không phải bảng tính Excel .xlsx (thiếu xl/workbook.xml).")
    try:
        extents = scan_workbook(zf)
    except DamagedZip as exc:
        raise FileRefused(_DAMAGED[exc.reason].format(part=exc.part)) from None
    except SheetTooLarge as exc:
        raise FileRefused(f"Trang tính có số dòng không hợp lệ: {exc}.") from None
    for extent in extents:
        _check_extent(extent, limits)
    return zf


def most_rows(limits: dict) -> int:
    """The most rows any table may have: a dossier list max_rows, a history max_steps (a CSV
    is known to be one or the other only once its header is read)."""
    return max(limits["max_rows"], limits.get("max_steps", 0))


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _check_extent(extent: Extent, limits: dict) -> None:
    sheet = extent.part.rsplit("/", 1)[-1].removesuffix(".xml")
    # A history sheet has a row per step and may be longer than the dossier list (the first
    # sheet, sheet1 in every workbook the exports write).
    most = limits["max_rows"] if sheet == "sheet1" else most_rows(limits)
    if extent.declared_rows > most + limits["header_search_rows"]:
        raise FileRefused(
            f"Trang tính khai báo {_n(extent.declared_rows)} dòng, vượt giới hạn "
            f"{_n(most)} dòng. Hãy xóa các dòng trống thừa hoặc chia nhỏ tệp."
        )
    declared = extent.declared_rows * extent.declared_columns
    if max(extent.cells, declared) <= limits["max_cells"]:
        return
    if extent.cells > limits["max_cells"] and extent.rows * extent.columns <= limits["max_cells"]:
        raise FileRefused(
            f"Trang tính {sheet} có ô hoặc dòng không ghi vị trí (tới {_n(extent.unplaced_width)}"
            f" ô liền nhau trên một dòng, {_n(extent.unplaced_rows)} dòng): đọc nó phải dựng "
            f"{_n(extent.cells)} ô (giới hạn {_n(limits['max_cells'])} ô). Tệp không phải bảng "
            "tính xuất từ hệ thống: hãy mở rồi lưu lại bằng Excel."
        )
    if extent.cells > limits["max_cells"]:
        where = f"ô {extent.far_cell}" if extent.far_cell else f"dòng {_n(extent.rows)}"
        area = f"A1:{column_letters(extent.columns)}{extent.rows}"
        raise FileRefused(
            f"Trang tính {sheet} có dữ liệu ở {where}, rất xa vùng dữ liệu: đọc nó phải dựng "
            f"cả vùng {area} ({_n(extent.cells)} ô; giới hạn {_n(limits['max_cells'])} ô). "
            f"Hãy mở tệp, xóa {where} (và các ô thừa ở xa), lưu lại rồi nhập lại."
        )
    raise FileRefused(
        f"Trang tính {sheet} khai báo vùng {_n(extent.declared_columns)} cột × "
        f"{_n(extent.declared_rows)} dòng ({_n(declared)} ô), vượt giới hạn "
        f"{_n(limits['max_cells'])} ô. Hãy mở tệp, xóa các cột và dòng trống thừa rồi lưu lại."
    )


def _formula_note(zf: zipfile.ZipFile) -> str | None:
    """Whether the first sheet holds formulas (their stored values are used, never computed)."""
    sheets = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    if not sheets:
        return None
    formulas = 0
    try:
        with zf.open(sheets[0]) as fh:
            while chunk := fh.read(1 << 20):
                formulas += chunk.count(b"<f>") + chunk.count(b"<f ")
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None  # a damaged sheet: calamine refuses the file with the reason
    if not formulas:
        return None
    return f"Có {formulas} ô công thức: đã lấy giá trị Excel lưu sẵn, không tính công thức."


def _read_xlsx(data: bytes, limits: dict) -> RawTable:
    zf = _check_zip(data, limits)  # before calamine unpacks the sheet
    notes: list[str] = []
    # Counting formulas unpacks the sheet a second time: beside calamine, not after it
    # (both spend their time outside the interpreter lock).
    with ThreadPoolExecutor(max_workers=1) as pool:
        formula_note = pool.submit(_formula_note, zf)
        table = _read_sheets(data, limits, notes)
        if note := formula_note.result():
            table.notes.insert(0, note)
    return table


def _read_sheets(data: bytes, limits: dict, notes: list[str]) -> RawTable:
    """The first sheet, and the second as a history candidate (the importer keeps it when its
    header names steps)."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        table = _read_sheet(book.get_sheet_by_index(0), limits, notes, limits["max_rows"])
        if len(book.sheet_names) > 1:
            second = _read_sheet(book.get_sheet_by_index(1), limits, [], most_rows(limits))
            if second.cells.size:
                table.history = second
    except FileRefused:
        raise
    except Exception as exc:  # calamine raises its own errors for broken workbooks
        raise FileRefused(f"Không đọc được bảng tính: {exc}") from exc
    return table


def _read_sheet(sheet: Any, limits: dict, notes: list[str], max_rows: int) -> RawTable:
    merged = sheet.merged_cell_ranges or []
    rows, numbers, empty_run = [], [], 0
    for i, row in enumerate(sheet.iter_rows()):
        if row.count("") == len(row):  # calamine gives "" for an empty cell; list.count runs in C
            empty_run += 1
            if empty_run >= limits["empty_rows_end"]:
                notes.append(f"Dừng đọc ở dòng {i + 1 - empty_run}: sau đó chỉ có dòng trống.")
                break
            continue
        empty_run = 0
        rows.append(row)
        numbers.append(i + 1)
        if len(rows) > max_rows:
            raise FileRefused(f"Trang tính có hơn {max_rows:,} dòng dữ liệu.".replace(",", "."))
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
    return RawTable(_cells(rows), numbers, "xlsx", notes)


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


def _too_many_cells(lines: int, limits: dict) -> str:
    return (
        f"Tệp CSV có quá nhiều ô (giới hạn {_n(limits['max_cells'])} ô, đã đến dòng "
        f"{_n(lines)}): một dòng có quá nhiều cột, hoặc tệp không phải danh sách hồ sơ."
    )


def _read_csv(data: bytes, limits: dict) -> RawTable:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text": UTF-16, tabs
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRefused(
                "Tệp CSV mã hóa UTF-16 bị hỏng: hãy lưu lại dưới dạng «CSV UTF-8»."
            ) from exc
        notes = ["Tệp mã hóa UTF-16 (Excel «Unicode Text»): đã chuyển sang UTF-8."]
    elif b"\x00" in data[:4096]:
        raise FileRefused(
            "Tệp .csv chứa dữ liệu nhị phân, không phải văn bản CSV (nếu là văn bản, hãy lưu "
            "lại dưới dạng «CSV UTF-8»)."
        )
    else:
        text, notes = _decode(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    longest = int(np.diff(breaks, prepend=-1, append=len(data)).max())  # bytes, ≥ characters
    fast = (
        _read_csv_columns(text, dialect.delimiter, limits)
        if longest <= limits["max_cell_chars"]
        else None
    )
    if fast is not None:
        cells, numbers = fast
        return RawTable(cells, numbers, "csv", notes, longest_cell=longest)
    csv.field_size_limit(max(limits["max_cell_chars"] * 4, 131072))
    rows, numbers, held = [], [], 0
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            numbers.append(reader.line_num)
            held += len(row)
            if held > limits["max_cells"]:
                raise FileRefused(_too_many_cells(len(rows), limits))
            if len(rows) > most_rows(limits):
                raise FileRefused(
                    f"Tệp có hơn {most_rows(limits):,} dòng dữ liệu.".replace(",", ".")
                )
    except csv.Error as exc:
        # The csv module's words are English: say what they mean.
        why = (
            "có ô dài quá giới hạn"
            if "field limit" in str(exc)
            else "ô quá dài hoặc dấu ngoặc kép lệch"
        )
        raise FileRefused(f"Tệp CSV hỏng ở dòng {reader.line_num}: {why}.") from exc
    return RawTable(_cells(rows), numbers, "csv", notes)


def _read_csv_columns(
    text: str, delimiter: str, limits: dict
) -> tuple[np.ndarray, list[int]] | None:
    """The common case, read by pandas' C parser straight into columns: one record per line
    and no line longer than the first ones. None (the caller reads row by row, with exact line
    numbers and cell-size checks) for anything else: quoted line breaks, ragged widths, more
    rows than the limit. The caller sends lines longer than a cell may be to the row reader."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > most_rows(limits) + limits["header_search_rows"]:
        return None
    head = list(csv.reader(io.StringIO(text[:200_000]), delimiter=delimiter))
    width = max((len(r) for r in head), default=0)
    if not width:
        return None
    if lines * width > limits["max_cells"]:
        raise FileRefused(_too_many_cells(lines, limits))
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) != lines:
        return None  # a quoted line break: line numbers would not match
    values = frame.to_numpy(dtype=object)
    blank = values[:, 0] == ""  # a row is blank when every cell is: look where the first is
    blank[blank] = (values[blank] == "").all(axis=1)
    keep = np.flatnonzero(~blank)
    return (values if blank.sum() == 0 else values[keep]), (keep + 1).tolist()


# Control characters (NUL, ESC …) have no place in a dossier list: PostgreSQL refuses NUL,
# and a terminal or a spreadsheet would act on the others. Tabs and line breaks stay.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip_controls(table: RawTable) -> RawTable:
    """Remove control characters from every text cell; a note says how many there were. Each
    column is looked at as one string, so a clean file costs a search in C per column."""
    removed = 0
    for j in range(table.cells.shape[1]):
        column = table.cells[:, j]
        values = column.tolist()
        try:
            joined = " ".join(values)  # a CSV's cells are all text
        except TypeError:
            joined = " ".join(v for v in values if type(v) is str)
        # isprintable() runs in C and is usually true; a line break or a no-break space in a
        # cell makes it false, and only then is the column searched for control characters.
        if joined.isprintable() or not CONTROLS.search(joined):
            continue
        for i, value in enumerate(column):
            if type(value) is str and CONTROLS.search(value):
                cleaned, n = CONTROLS.subn("", value)
                column[i] = cleaned
                removed += n
    if removed:
        table.notes.append(
            f"Đã bỏ {_n(removed)} ký tự điều khiển (không in được, vd. NUL) trong các ô."
        )
    return table


def read_table(data: bytes, file_name: str, limits: dict) -> RawTable:
    """Rows of the export (and its history, when it carries one); raises FileRefused with a
    Vietnamese message for a bad file."""
    table = _strip_controls(_read_any(data, file_name, limits))
    if table.history is not None:
        table.history = _strip_controls(table.history)
        table.notes += table.history.notes
        table.history.notes = []
    return table


def _looks_like_json(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _read_any(data: bytes, file_name: str, limits: dict) -> RawTable:
    is_json = file_name.lower().endswith(".json") or _looks_like_json(data)
    max_bytes = limits["max_json_mb" if is_json else "max_file_mb"] * 1024 * 1024
    if len(data) > max_bytes:
        raise FileRefused(
            f"Tệp {len(data) / 1048576:.1f} MB vượt giới hạn {max_bytes // 1048576} MB.".replace(
                ".", ",", 1
            )
        )
    if not data.strip():
        raise FileRefused("Tệp rỗng.")
    name = file_name.lower()
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20]:
            raise FileRefused(
                "Tệp Excel được đặt mật khẩu: hãy mở tệp, bỏ mật khẩu rồi lưu lại dưới dạng .xlsx."
            )
        raise FileRefused("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy lưu lại dưới dạng .xlsx.")
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if name.endswith((".xlsx", ".xlsm")):
        raise FileRefused("Tệp có đuôi .xlsx nhưng nội dung không phải bảng tính Excel.")
    if name.endswith(".json") or (not name.endswith((".csv", ".txt")) and _looks_like_json(data)):
        from data_access.importer.sync_json import read_sync_json  # a reader of its own

        return read_sync_json(data, limits)
    if len(data) > limits["max_file_mb"] * 1024 * 1024:  # a .csv that starts like JSON
        raise FileRefused(
            f"Tệp {len(data) / 1048576:.1f} MB vượt giới hạn {limits['max_file_mb']} MB.".replace(
                ".", ",", 1
            )
        )
    if name.endswith((".csv", ".txt")):
        return _read_csv(data, limits)
    raise FileRefused("Chỉ nhận tệp .xlsx, .csv hoặc .json (định dạng đồng bộ quốc gia).")
