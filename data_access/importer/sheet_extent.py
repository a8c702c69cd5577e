"""Size a workbook from what its sheets contain, before any reader allocates.

python-calamine builds a sheet as one dense block from its top-left to its furthest cell: two
cells, A1 and XFD400000, make 6,5 billion cells (200 GB), and the allocation failure aborts
the whole process. So every part of the zip is unpacked once here, as a stream, checking
that it unpacks to the size its directory declares (a falsified size is how a bomb hides),
and every worksheet is scanned for the furthest row and column that hold a cell. Only then
may calamine read it. The scan runs at zlib's speed: the regular expressions skip what they
do not match in C, and the only Python work is per row tag and per cell that moves the
furthest extent.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache

CHUNK = 1 << 20

# Tags as Excel writes them (`<row r="5">`, `<c r="A5"`), and as XML allows them: a namespace
# prefix (`<x:c`), single quotes, spaces around "=". The exact spelling is searched at C speed;
# a chunk that holds a prefix is searched with the general patterns.
_P = rb"(?:[A-Za-z_][\w.-]{0,30}:)?"
_ROW_WITH_CELLS = re.compile(rb'<row\b[^>]*?\sr="(\d+)"[^>]*>\s*<c[\s>/]')
_ROW_WITH_CELLS_ANY = re.compile(
    rb"<" + _P + rb"row\b[^>]*?\sr\s*=\s*[\"'](\d+)[\"'][^>]*>\s*<" + _P + rb"c[\s>/]"
)
_DIMENSION = re.compile(
    rb"<" + _P + rb"dimension\s+ref\s*=\s*[\"']([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?[\"']"
)
# A cell's reference, wherever it stands in the tag, however quoted.
_CELL_REF = re.compile(rb"<" + _P + rb"c\b[^>]*?\sr\s*=\s*[\"']([A-Z]{1,3})(\d{1,7})[\"']")
_PREFIX_DECLARED = re.compile(
    rb"<[A-Za-z_][\w.-]{0,30}:worksheet\b|xmlns:[A-Za-z_][\w.-]{0,30}\s*="
)
_ROW_NOT_PLAIN = re.compile(rb'<row(?! r=")[\s>/]')
# Rows and cells without a reference: calamine places each after the one before.
_ROW_START = re.compile(rb"<" + _P + rb"row[\s>/]")
_ROW_UNPLACED = re.compile(rb"<" + _P + rb"row(?![^>]*\sr\s*=)[\s>/]")
_CELL_UNPLACED = re.compile(rb"<" + _P + rb"c(?![^>]*\sr\s*=)[\s>/]")


class SheetTooLarge(ValueError):
    """A sheet that would not fit in memory once read; the message is for the user."""


class DamagedZip(ValueError):
    """A zip part that cannot be unpacked as declared: `reason` is "size" (not what its
    directory declares), "compression" (a method Excel never writes) or "encrypted"."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(part)
        self.part, self.reason = part, reason


@dataclass
class Extent:
    """The furthest row and column of a sheet that hold a cell (1-based), the reference of a
    cell at that far edge, and its declared dimension."""

    part: str
    rows: int = 0
    columns: int = 0
    far_cell: str = ""
    declared_rows: int = 0
    declared_columns: int = 0
    unplaced_rows: int = 0  # rows without a reference (each placed after the one before)
    unplaced_width: int = 0  # most cells without a reference in one row

    @property
    def cells(self) -> int:
        """How many cells a reader allocates to hold the sheet as one block, at most: cells
        and rows without a reference widen and lengthen it by as many as they are."""
        return (self.rows + self.unplaced_rows) * (self.columns + self.unplaced_width)


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _at_most(value: str, alphabet: str) -> str:
    """A regex matching a token of `alphabet` characters (digits never with a leading 0)
    that is at most `value`, comparing by length and then character by character."""
    low, high = alphabet[0], alphabet[-1]
    first = alphabet[1:] if low == "0" else alphabet
    options = (
        [f"[{first[0]}-{first[-1]}][{low}-{high}]{{0,{len(value) - 2}}}"] if len(value) > 1 else []
    )
    for i, ch in enumerate(value):
        below = (first if i == 0 else alphabet)[: (first if i == 0 else alphabet).index(ch)]
        if below:
            rest = len(value) - i - 1
            tail = f"[{low}-{high}]{{{rest}}}" if rest else ""
            options.append(f"{re.escape(value[:i])}[{below[0]}-{below[-1]}]{tail}")
    options.append(re.escape(value))
    return "(?:" + "|".join(options) + ")"


DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _rows_pattern(low: int, high: int) -> str:
    """Row numbers from `low` to `high` or a little beyond: their common leading digits and
    any digits after (a chunk's rows share most of theirs, which keeps the search fast)."""
    a, b = str(low), str(high)
    if len(a) != len(b):
        return _at_most(b, DIGITS)
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), len(a))
    rest = len(b) - common
    return re.escape(b[:common]) + (f"[0-9]{{{rest}}}" if rest else "")


def _columns_pattern(columns: int) -> str:
    if columns <= 26:
        return f"[A-{column_letters(columns)}]"
    return _at_most(column_letters(columns), LETTERS)


@lru_cache(maxsize=4096)
def _cells_beyond(rows: str, columns: int, prefixed: bool = False) -> re.Pattern[bytes]:
    """Cells outside the columns up to `columns` and the rows `rows` matches, or not written
    `<c r="…"` exactly: the only cells that can move a sheet's furthest extent. In an honest
    sheet none after its first row, so the search runs in C."""
    inside = f"{_columns_pattern(columns)}{rows}" if rows and columns else "(?!)"
    start = b"<" + _P + b"c" if prefixed else b"<c"
    return re.compile(start + f'(?! r="{inside}")[\\s>/]'.encode())


def _scan_sheet(stream, extent: Extent) -> None:
    tail = b""
    first = True
    prefixed = False
    while True:
        chunk = stream.read(CHUNK)
        buf = tail + chunk
        if not buf:
            break
        if first:
            first = False
            # A sheet that binds a namespace prefix is searched with the general patterns
            # throughout (one with prefixes it never declares is no XML; the child's memory
            # limit stops what calamine would make of it).
            prefixed = _PREFIX_DECLARED.search(buf, 0, 8192) is not None
            m = _DIMENSION.search(buf, 0, 8192)
            if m:
                last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else m.group(1, 2)
                extent.declared_rows = int(last_row)
                extent.declared_columns = column_number(last_col)
        # Cut before the last row tag (else the last tag): everything before it is whole
        # rows, and the rest waits for the next chunk. Rows are never cut in two.
        if chunk:
            cut = max(buf.rfind(b"<row", 1), buf.rfind(b"<", 1, max(buf.rfind(b":row", 1), 1)))
            if cut <= 0:
                cut = buf.rfind(b"<", 1)
            if cut <= 0:
                tail = buf
                continue
        else:
            cut = len(buf)
        _scan_rows(buf, cut, extent, prefixed)
        tail = buf[cut:]
        if not chunk:
            break


def _scan_rows(buf: bytes, end: int, extent: Extent, prefixed: bool) -> None:
    # The row tags holding a cell give these rows' numbers; the cells then looked at are only
    # those outside these rows or beyond the widest column so far (in an honest sheet, the
    # first row's cells and nothing after), and those not written as Excel writes them (read
    # the slow way; those without a reference are placed by order, and counted).
    numbers = (_ROW_WITH_CELLS_ANY if prefixed else _ROW_WITH_CELLS).findall(buf, 0, end)
    if any(len(d) > 7 for d in numbers):
        raise SheetTooLarge(f"dòng {max(numbers, key=len)[:12].decode()}…")
    rows = [int(d) for d in numbers]
    if rows:
        pattern = _rows_pattern(min(rows), max(rows))
    else:
        pattern = _at_most(str(extent.rows), DIGITS) if extent.rows else ""
    pos, unplaced = 0, False
    while m := _cells_beyond(pattern, extent.columns, prefixed).search(buf, pos, end):
        pos = m.end()
        ref = _CELL_REF.match(buf, m.start())
        if ref is None:
            unplaced = True  # counted row by row below
            continue
        _widen(extent, *ref.group(1, 2))
    if rows:
        extent.rows = max(extent.rows, *rows)  # their cells are within the widest column
    if prefixed or _ROW_NOT_PLAIN.search(buf, 0, end):
        extent.unplaced_rows += len(_ROW_UNPLACED.findall(buf, 0, end))
    if unplaced:
        starts = [m.start() for m in _ROW_START.finditer(buf, 0, end)] + [end]
        for a, b in zip(starts, starts[1:], strict=False):
            width = len(_CELL_UNPLACED.findall(buf, a, b))
            extent.unplaced_width = max(extent.unplaced_width, width)


def _widen(extent: Extent, letters: bytes, digits: bytes) -> None:
    row, col = int(digits), column_number(letters)
    if row > extent.rows or col > extent.columns:
        extent.rows, extent.columns = max(extent.rows, row), max(extent.columns, col)
        extent.far_cell = f"{letters.decode()}{digits.decode()}"


def scan_workbook(zf: zipfile.ZipFile) -> list[Extent]:
    """Unpack every part of the workbook as a stream (checking each unpacks to its declared
    size and checksum) and measure every worksheet. Raises DamagedZip or SheetTooLarge."""
    extents = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        # Any XML part may be a sheet (the workbook's relations name them, anywhere in the
        # zip): each is measured; parts that hold no rows measure nothing.
        is_sheet = info.filename.lower().endswith(".xml")
        extent = Extent(info.filename)
        try:
            with zf.open(info) as stream:
                if is_sheet:
                    _scan_sheet(stream, extent)
                else:
                    while stream.read(CHUNK):
                        pass
        except SheetTooLarge as exc:
            raise SheetTooLarge(f"{info.filename}, {exc}") from None
        except NotImplementedError as exc:  # Deflate64, bzip2 …: Excel never writes them
            raise DamagedZip(info.filename, "compression") from exc
        except RuntimeError as exc:  # zipfile: "File … is encrypted, password required"
            raise DamagedZip(info.filename, "encrypted") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise DamagedZip(info.filename, "size") from exc
        if is_sheet and (extent.rows or extent.unplaced_rows or extent.declared_rows):
            extents.append(extent)
    return extents
