"""One rule for what every downloaded file says it holds: its filter in words (units, fields,
procedures, channels) and its period, in its heading and in its file name alike. Two files of
two views never share a name or a heading."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from dashboard.domain.formatting import fmt_datetime

CHANNEL_WORDS = {1: "trực tiếp", 2: "trực tuyến", 3: "bưu chính"}


def filter_words(
    units: Sequence[str] = (),
    fields: Sequence[str] = (),
    procedures: Sequence[str] = (),
    channels: Sequence[int] = (),
) -> list[str]:
    """What narrows a view, in words: ["Nam Hồng", "lĩnh vực Hộ tịch", "thủ tục 1.001193",
    "kênh trực tuyến"] (units by name; empty for the whole scope, every field…)."""
    words = list(units)
    if fields:
        words.append("lĩnh vực " + ", ".join(fields))
    if procedures:
        words.append("thủ tục " + ", ".join(procedures))
    if channels:
        words.append("kênh " + ", ".join(CHANNEL_WORDS.get(c, str(c)) for c in channels))
    return words


def subtitle(words: Sequence[str], period_label: str, data_date: dt.datetime | None) -> str:
    """The line under a file's title: "Nam Hồng · lĩnh vực Hộ tịch · Quý III/2024 · dữ liệu
    đến 17:00 30/09/2024"."""
    when = f"dữ liệu đến {fmt_datetime(data_date) if data_date else '—'}"
    return " · ".join([*words, period_label, when])


def slug(text: str) -> str:
    """A file name part without diacritics: "Lĩnh vực Hộ tịch" -> "linh-vuc-ho-tich"."""
    ascii_ = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = ascii_.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()


def file_name(what: str, words: Sequence[str], period_label: str, ext: str) -> str:
    """What the file is, its filter and its period, as an ASCII name:
    chi-so-cai-cach-tthc-theo-don-vi_nam-hong_linh-vuc-ho-tich_quy-iii-2024.xlsx."""
    parts = [slug(p) for p in (what, *words, period_label)]
    return "_".join(p for p in parts if p)[:200] + "." + ext
