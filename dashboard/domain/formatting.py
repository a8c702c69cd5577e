"""Vietnamese presentation helpers: numbers, percentages, dates and collation.

Pure functions used by layouts, exports and the CLI so every screen formats alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

DASH = "—"  # shown for a value that does not exist (zero denominator)


def fmt_int(n: int | None) -> str:
    """12345 -> '12.345' (dot groups thousands in Vietnamese)."""
    if n is None:
        return DASH
    return f"{n:,}".replace(",", ".")


def fmt_number(x: float | None, digits: int = 2) -> str:
    """1234.5 -> '1.234,50' (comma decimal separator)."""
    if x is None:
        return DASH
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(ratio: float | None, digits: int = 2) -> str:
    """0.8703 -> '87,03 %' (Vietnamese writes a space before %)."""
    if ratio is None:
        return DASH
    return f"{fmt_number(ratio * 100, digits)} %"


def fmt_date(day: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy."""
    return DASH if day is None else day.strftime("%d/%m/%Y")


_DAY = re.compile(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*")


def parse_day(text: str | None, field: str = "Ngày") -> dt.date | None:
    """A day typed as dd/mm/yyyy or d/m/yyyy (also with - or .); None when empty. A text that
    is not a real day raises ValueError naming `field` and what was typed."""
    if text is None or not text.strip():
        return None
    m = _DAY.fullmatch(text)
    if m:
        day, month, year = (int(x) for x in m.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"{field}: «{text.strip()}» không phải một ngày (dd/mm/yyyy).")


def fmt_datetime(moment: dt.datetime | None) -> str:
    """HH:MM dd/mm/yyyy, as Vietnamese documents write a time stamp."""
    return DASH if moment is None else moment.strftime("%H:%M %d/%m/%Y")


# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_BASE_ORDER = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Tones are a secondary difference: ngang, huyền, hỏi, ngã, sắc, nặng (dictionary order).
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _split_letter(ch: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, tone = decomposed[0], 0
    for mark in decomposed[1:]:
        if mark in _LETTER_MARKS:
            base += mark
        elif mark in _TONES:
            tone = _TONES[mark]
    return unicodedata.normalize("NFC", base), tone


def vn_sort_key(text: str) -> tuple:
    """Sort key for Vietnamese collation: 'Đ' after 'D', 'Â' after 'Ă' after 'A', tones second."""
    primary, secondary = [], []
    for ch in text:
        base, tone = _split_letter(ch)
        idx = _BASE_ORDER.find(base) if len(base) == 1 else -1
        # Spaces, digits and punctuation sort before letters ("Nam Hưng" before "Namx").
        if idx >= 0:
            primary.append((1, idx, ""))
        else:  # f, j, w, z and foreign letters after the alphabet; the rest before it
            primary.append((1, 99, base) if base.isalpha() else (0, 0, base))
        secondary.append(tone)
    return (primary, secondary, text)


def fold(text: str) -> str:
    """Lower case without diacritics ('Đồng Lạc' -> 'dong lac'), for search and matching."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    return " ".join(stripped.lower().split())


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# A signed number as the app writes it (-1 · +3,25 điểm % · -12,5 %): it starts like a formula
# but Excel reads it as the number it is, so it keeps no quote.
SIGNED_NUMBER = re.compile(r"[-+]\d{1,3}(?:\.\d{3})*(?:,\d+)?(?: ?(?:điểm )?%)?")


def safe_cell(value: Any) -> str:
    """A CSV cell that Excel shows as text, never as a formula (= + - @ get a leading '),
    except a plain signed number (a change of rank, a gap), which stays a number."""
    if value is None:
        return ""
    text = value.strftime("%d/%m/%Y %H:%M") if isinstance(value, dt.datetime) else str(value)
    if SIGNED_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_START) else text
