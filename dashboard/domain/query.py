"""The view query: every parameter a view understands, in one immutable value.

It reads from and writes to the page URL (`?ky=2025-Q1&don_vi=10657&linh_vuc=Hộ tịch`), the
download links (the same query string after the file's path) and the CLI flags
(`--period 2025-Q1 --unit 10657 --field "Hộ tịch"`), so a view bookmarked, downloaded or
asked for from a terminal is the same view. Reading is lenient (an unknown ranking key or
group falls back to the default, as a hand-edited URL should); the figures entries
(`dashboard/services/entries.py`) turn unknown units or fields into a clear message.

Pure: no web stack, no database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.domain import clock
from dashboard.domain.catalog import BY_KEY
from dashboard.domain.periods import month, parse_period
from dashboard.domain.vocabulary import WarningClass
from dashboard.domain.warnings import MAX_DAYS

GROUPS = ("xa", "phong")  # league tabs: communes and towns, district departments
CHANNELS = (1, 2, 3)  # trực tiếp, trực tuyến, bưu chính (the export's codes)
CLASSES = tuple(c.value for c in WarningClass)


@dataclass(frozen=True)
class Param:
    """One parameter: its URL name, the field of `ViewQuery` it fills, its CLI flag and the
    flag's argparse destination."""

    url: str
    field: str
    flag: str | None  # None: the screen only (the kiosk's timings)
    dest: str = ""
    repeated: bool = False


# In the order they are written to a URL.
PARAMS: tuple[Param, ...] = (
    Param("ky", "period", "--period", "period"),
    Param("don_vi", "units", "--unit", "unit", repeated=True),
    # The unit page's one unit: `--unit` too, on the command that has no scope filter.
    Param("ma", "unit", "--unit", "unit_page"),
    Param("linh_vuc", "fields", "--field", "field", repeated=True),
    Param("thu_tuc", "procedures", "--procedure", "procedure", repeated=True),
    Param("kenh", "channels", "--channel", "channel", repeated=True),
    Param("theo", "by", "--by", "by"),
    Param("nhom", "group", "--group", "group"),
    Param("lien_tiep", "streak_only", "--streak-only", "streak_only"),
    Param("so_ky", "min_streak", "--min-periods", "min_periods"),
    Param("ngay", "as_of", "--as-of", "as_of"),
    Param("so_ngay", "days", "--days", "days"),
    Param("loai", "classes", None, repeated=True),
    Param("giay", "slide_seconds", None),
    Param("lam_moi", "refresh_seconds", None),
    Param("tp", "component", None),
)
BY_URL = {p.url: p for p in PARAMS}
FILTERS = ("linh_vuc", "thu_tuc", "kenh")  # what narrows the dossiers counted

# The CLI commands that print a view's figures, and the parameters each takes.
COMMANDS: dict[str, tuple[str, ...]] = {
    "indicators": ("ky", "don_vi", *FILTERS),
    "score766": ("ky", "don_vi"),
    "assessment": ("ky", "don_vi", *FILTERS),
    "league": ("ky", *FILTERS, "theo", "nhom"),
    "below-target": ("ky", *FILTERS, "lien_tiep", "so_ky"),
    "dossiers": ("ky", "ma"),
    "warnings": ("ngay", "don_vi", *FILTERS, "so_ngay"),
    "digest": ("ngay", "so_ngay"),
}


@dataclass(frozen=True)
class ViewQuery:
    """What a view shows. Empty values mean "not asked": the whole scope, every field, the
    766 score, the default period (the month of the newest data)."""

    period: str = ""  # a period key (2025, 2025-Q1, 2025-03, 2025-03-14, a:b); "" = default
    units: tuple[str, ...] = ()  # unit references (code or code@YYYY-MM-DD) of a scope filter
    unit: str = ""  # the unit page's unit
    fields: tuple[str, ...] = ()  # field names
    procedures: tuple[str, ...] = ()  # procedure codes
    channels: tuple[int, ...] = ()
    by: str = ""  # league ranking indicator key; "" = the 766 score
    group: str = "xa"  # league tab
    streak_only: bool = False  # explanations: only units below target for long runs
    min_streak: int | None = None  # explanations (and the letter): only runs this long
    as_of: str = ""  # early warning: the day (YYYY-MM-DD); "" = the newest day of the data
    days: int | None = None  # early warning: "due soon" within this many working days
    classes: tuple[str, ...] = ()  # early warning: the classes listed; () = all
    slide_seconds: int | None = None  # kiosk
    refresh_seconds: int | None = None  # kiosk
    component: str = ""  # Điểm 766: the component (1.1 … 6.C, or thoi-gian) whose items show

    # -- the URL ---------------------------------------------------------------------------
    @classmethod
    def from_url(
        cls, search: str | Mapping[str, Sequence[str]] | None, strict: bool = False
    ) -> ViewQuery:
        """Read a query string (with or without '?') or parsed parameters. What cannot be
        read keeps its default (a page opens anyway), or with `strict` (a download: the
        file must be the view asked for) raises ValueError naming it in Vietnamese."""
        if search is None or isinstance(search, str):
            params: Mapping[str, Sequence[str]] = parse_qs((search or "").lstrip("?"))
        else:
            params = search
        first = {k: (v[0] if v else "") for k, v in params.items()}
        if strict and (wrong := _unreadable(params)):
            raise ValueError("Tham số không hợp lệ: " + "; ".join(wrong))
        return cls(
            period=_period_key(first.get("ky", "")),
            units=_texts(params.get("don_vi", ())),
            unit=first.get("ma", "").strip(),
            fields=_texts(params.get("linh_vuc", ())),
            procedures=_texts(params.get("thu_tuc", ())),
            channels=_channels(params.get("kenh", ())),
            by=_by(first.get("theo", "")),
            group=_group(first.get("nhom", "")),
            streak_only=first.get("lien_tiep", "") == "1",
            min_streak=_positive(first.get("so_ky", "")),
            as_of=_day(first.get("ngay", "")),
            days=_days(first.get("so_ngay", "")),
            classes=tuple(c for c in _texts(params.get("loai", ())) if c in CLASSES),
            slide_seconds=_positive(first.get("giay", "")),
            refresh_seconds=_positive(first.get("lam_moi", "")),
            component=_component(first.get("tp", "")),
        )

    def to_url(self, names: Iterable[str] | None = None) -> str:
        """The query string ('?…') of the parameters `names` (a page's, default all) that
        differ from "not asked"; the league's group is always written (the tab shown)."""
        wanted = set(names) if names is not None else set(BY_URL)
        pairs: list[tuple[str, str]] = []
        for p in PARAMS:
            if p.url not in wanted:
                continue
            value = getattr(self, p.field)
            if p.repeated:
                pairs += [(p.url, str(v)) for v in value]
            elif isinstance(value, bool):
                pairs += [(p.url, "1")] if value else []
            elif value not in ("", None) or p.url == "nhom":
                pairs.append((p.url, str(value)))
        return "?" + urlencode(pairs) if pairs else ""

    # -- the CLI ---------------------------------------------------------------------------
    @classmethod
    def from_cli(cls, args: argparse.Namespace) -> ViewQuery:
        """Read the flags `add_cli_flags` defined (those a command lacks keep the default);
        argparse has checked the choices, a period that cannot be read raises ValueError."""
        raw = vars(args)
        return cls(
            # A flag is read strictly: a bad period is an error, not the default month.
            period=parse_period(raw["period"]).key if raw.get("period") else "",
            units=_texts(raw.get("unit") or ()),
            unit=str(raw.get("unit_page") or "").strip(),
            fields=_texts(raw.get("field") or ()),
            procedures=_texts(raw.get("procedure") or ()),
            channels=_channels(raw.get("channel") or ()),
            by=_by(raw.get("by") or ""),
            group=_group(raw.get("group") or ""),
            streak_only=bool(raw.get("streak_only")),
            min_streak=raw.get("min_periods"),
            as_of=_strict_day(raw.get("as_of") or ""),
            days=_strict_days(raw.get("days")),
        )

    def cli_args(self, names: Iterable[str] | None = None) -> list[str]:
        """The CLI flags for the parameters `names` (by URL name; default all with a flag)."""
        wanted = set(names) if names is not None else set(BY_URL)
        out: list[str] = []
        for p in PARAMS:
            if p.flag is None or p.url not in wanted:
                continue
            value = getattr(self, p.field)
            if p.repeated:
                for v in value:
                    out += [p.flag, str(v)]
            elif isinstance(value, bool):
                out += [p.flag] if value else []
            elif value not in ("", None):
                out += [p.flag, str(value)]
        return out

    # -- helpers ---------------------------------------------------------------------------
    def only(self, names: Iterable[str]) -> ViewQuery:
        """The same query with every parameter outside `names` reset (what a page keeps)."""
        keep = {BY_URL[n].field for n in names}
        defaults = ViewQuery()
        return replace(
            self, **{f.name: getattr(defaults, f.name) for f in fields(self) if f.name not in keep}
        )

    def with_default_period(self, newest: dt.date | None) -> ViewQuery:
        """The query with its period, or the month of the newest data (today's month when
        there is none) when it asked for none."""
        if self.period:
            return self
        day = newest or clock.today()
        return replace(self, period=month(day.year, day.month).key)

    @property
    def filter_key(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
        """Fields, procedures and channels, sorted: the part of a cache key that filters
        dossiers (the order they were chosen in does not change a figure)."""
        return (
            tuple(sorted(set(self.fields))),
            tuple(sorted(set(self.procedures))),
            tuple(sorted(set(self.channels))),
        )


def add_cli_flags(parser: argparse.ArgumentParser, names: Iterable[str]) -> None:
    """Add the flags of the parameters `names` (by URL name) to a CLI command."""
    names = list(names)
    if "don_vi" in names and "ma" in names:
        raise ValueError("a command takes a scope filter or one unit, not both")
    helps = {
        "ky": "kỳ: 2025, 2025-Q1, 2025-03, 2025-03-14, 2025-01-01:2025-02-15",
        "don_vi": "mã đơn vị (lặp lại được)",
        "ma": "mã đơn vị của trang đơn vị",
        "linh_vuc": "lọc theo lĩnh vực (tên, lặp lại được)",
        "thu_tuc": "lọc theo mã thủ tục (lặp lại được)",
        "kenh": "lọc theo kênh: 1 trực tiếp, 2 trực tuyến, 3 bưu chính",
        "theo": "xếp theo chỉ số (khóa) thay vì điểm 766",
        "nhom": "xa (xã, thị trấn) hoặc phong (phòng chuyên môn)",
        "lien_tiep": "chỉ các đơn vị không đạt nhiều kỳ liên tiếp",
        "so_ky": "chỉ các đơn vị không đạt từ số kỳ liên tiếp này (vd. 2)",
        "ngay": "tính đến hết ngày này (dd/mm/yyyy; mặc định: ngày mới nhất của dữ liệu)",
        "so_ngay": "sắp đến hạn: trong số ngày làm việc này (mặc định 2)",
    }
    for name in names:
        p = BY_URL[name]
        if p.flag is None:
            continue
        common: dict[str, Any] = {"dest": p.dest, "help": helps[name]}
        if name in ("ky", "ma"):
            parser.add_argument(p.flag, required=True, **common)
        elif name == "kenh":
            parser.add_argument(p.flag, action="append", type=int, choices=CHANNELS, **common)
        elif name == "nhom":
            parser.add_argument(p.flag, choices=GROUPS, default="xa", **common)
        elif name == "theo":
            parser.add_argument(p.flag, choices=sorted(BY_KEY), **common)
        elif name in ("so_ngay", "so_ky"):
            parser.add_argument(p.flag, type=int, **common)
        elif name == "lien_tiep":
            parser.add_argument(p.flag, action="store_true", **common)
        elif p.repeated:
            parser.add_argument(p.flag, action="append", **common)
        else:
            parser.add_argument(p.flag, **common)


def _unreadable(params: Mapping[str, Sequence[str]]) -> list[str]:
    """What a strict reading refuses, each said in Vietnamese."""
    first = {k: (v[0] if v else "") for k, v in params.items()}
    wrong = []
    if first.get("ky", "").strip() and not _period_key(first["ky"]):
        wrong.append(f"kỳ «{first['ky']}» (dùng 2025, 2025-Q1, 2025-03, 2025-03-14 hoặc a:b)")
    if "nhom" in first and first["nhom"] not in GROUPS:
        wrong.append(f"nhóm «{first['nhom']}» (xa, phong)")
    if first.get("theo") and first["theo"] not in BY_KEY:
        wrong.append(f"chỉ số xếp hạng «{first['theo']}»")
    if first.get("ngay", "").strip() and not _day(first["ngay"]):
        wrong.append(f"ngày «{first['ngay']}» (dd/mm/yyyy hoặc yyyy-mm-dd)")
    if first.get("so_ky", "").strip() and _positive(first["so_ky"]) is None:
        wrong.append(f"số kỳ liên tiếp «{first['so_ky']}» (một số từ 1)")
    if first.get("so_ngay", "").strip() and _days(first["so_ngay"]) is None:
        wrong.append(f"số ngày «{first['so_ngay']}» (0 đến {MAX_DAYS})")
    bad_classes = [c for c in params.get("loai", ()) if c not in CLASSES]
    if bad_classes:
        wrong.append(f"loại «{', '.join(bad_classes)}» ({', '.join(CLASSES)})")
    bad_channels = [c for c in params.get("kenh", ()) if not _channels([c])]
    if bad_channels:
        wrong.append(f"kênh «{', '.join(bad_channels)}» (1, 2, 3)")
    return wrong


def _component(text: str) -> str:
    """A 766 component's code (1.1 … 6.C) or "thoi-gian"; anything else is not asked."""
    text = text.strip()
    return text if re.fullmatch(r"[1-6]\.[1-6A-C]|thoi-gian", text) else ""


def _day(text: str) -> str:
    """A day as YYYY-MM-DD, from that or dd/mm/yyyy ("" when neither)."""
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _strict_day(text: str) -> str:
    return parse_day(text).isoformat() if text.strip() else ""


def parse_day(text: str) -> dt.date:
    """A day written dd/mm/yyyy or yyyy-mm-dd; ValueError (Vietnamese) otherwise."""
    day = _day(text)
    if not day:
        raise ValueError(f"Ngày không hợp lệ «{text}»: dùng dd/mm/yyyy hoặc yyyy-mm-dd")
    return dt.date.fromisoformat(day)


def _days(text: str) -> int | None:
    try:
        n = int(text.strip())
    except ValueError:
        return None
    return n if 0 <= n <= MAX_DAYS else None


def _strict_days(value: object) -> int | None:
    if value is None:
        return None
    n = _days(str(value))
    if n is None:
        raise ValueError(f"Số ngày làm việc phải từ 0 đến {MAX_DAYS} (nhận được {value})")
    return n


def _period_key(text: str) -> str:
    try:
        return parse_period(text).key if text.strip() else ""
    except ValueError:
        return ""


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(t for v in values if (t := str(v).strip()))


def _channels(values: Iterable[object]) -> tuple[int, ...]:
    out = []
    for v in values:
        try:
            c = int(str(v))
        except ValueError:
            continue
        if c in CHANNELS:
            out.append(c)
    return tuple(out)


def _by(text: str) -> str:
    return text if text in BY_KEY else ""


def _group(text: str) -> str:
    return text if text in GROUPS else "xa"


def _positive(text: str) -> int | None:
    try:
        n = int(float(text))
    except ValueError:
        return None
    return n if n > 0 else None
