"""The early warning as files: the list as an .xlsx (one unit, or a sheet per unit, ready to
send to each commune), rows for the CLI, and the morning digest's messages in Vietnamese."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboard.domain import clock
from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_date, fmt_datetime, fmt_int, fold
from dashboard.domain.officer_warnings import OfficerLine, line_text
from dashboard.domain.units import UnitRow
from dashboard.domain.vocabulary import RiskFlag, WarningClass
from dashboard.domain.warnings import ORDER, Outlook
from dashboard.exports.tables import Column, Table, to_xlsx
from dashboard.services.early_warning import UnitOutlook, UnitWarnings, Warned, Warnings
from dashboard.services.tabular import display_value

LIST_COLUMNS = [
    Column("klass", "Cảnh báo", "text", 16),
    Column("code", "Mã hồ sơ", "text", 22),
    Column("procedure", "Thủ tục", "text", 40),
    Column("field", "Lĩnh vực", "text", 18),
    Column("received", "Tiếp nhận", "text", 17),
    Column("due", "Hẹn trả", "text", 12),
    Column("days_left", "Số ngày làm việc còn lại", "count", 12),
    Column("status", "Trạng thái", "text", 18),
]
COUNT_COLUMNS = [
    Column("unit_code", "Mã đơn vị", "text", 11),
    Column("unit_name", "Đơn vị", "text", 30),
    *[Column(c.value, c.label, "count", 14) for c in ORDER],
]
# CLI / CSV / JSON keys, raw values.
ROW_KEYS = (
    "unit_code",
    "unit_ref",
    "unit_name",
    "code",
    "procedure_code",
    "procedure",
    "field",
    "received_at",
    "due_at",
    "status",
    "class",
    "days_left",
)
SUMMARY_KEYS = ("unit_code", "unit_ref", "unit_name", *[c.value for c in ORDER])


KIND_WORDS = {"commune": "xã", "town": "thị trấn", "ward": "phường", "special_zone": "đặc khu"}


def addressee(unit: UnitRow) -> str:
    """Whom a message goes to: "UBND xã An Sơn" for a commune (named "Xã An Sơn" or, before
    1/7/2025, "An Sơn"), "UBND thị trấn Nam Sách", the department's own name."""
    word = KIND_WORDS.get(unit.kind)
    if word is None:
        return unit.name
    name = unit.name
    if fold(name).startswith(fold(word) + " "):
        name = name[len(word) + 1 :]
    return f"UBND {word} {name}"


def as_of_text(w: Warnings, newest: dt.datetime | None) -> str:
    """ "Số liệu đến 17:00 20/06/2025" when the list is for the newest day, else the day."""
    if newest is not None and newest.date() == w.as_of:
        return f"Số liệu đến {fmt_datetime(newest)}"
    return f"Số liệu tính đến hết ngày {fmt_date(w.as_of)}"


def due_day_text(w: Warnings, today: dt.date | None = None) -> str:
    """ "đến hạn hôm nay" for today's list, "đến hạn ngày 30/10/2026" for another day's (a
    list of a past day never says "today")."""
    if w.as_of == (today or clock.today()):
        return "đến hạn hôm nay"
    return f"đến hạn ngày {fmt_date(w.as_of)}"


def stale_text(w: Warnings, newest: dt.datetime | None, missing_day: dt.date | None) -> str | None:
    """The warning that the data stop before the last working day (None when they reach it,
    or when the list is of an earlier day on purpose)."""
    if missing_day is None or newest is None or newest.date() != w.as_of:
        return None
    return (
        f"Dữ liệu mới nhất là ngày {fmt_date(newest)}, chưa có dữ liệu ngày "
        f"{fmt_date(missing_day)} (ngày làm việc gần nhất): hãy nhập danh sách hồ sơ mới "
        "trước khi gửi cảnh báo."
    )


def horizon_text(w: Warnings) -> str:
    """What "sắp đến hạn" covers."""
    return f"trong {w.horizon.days} ngày làm việc tới (đến {fmt_date(w.horizon.last_day)})"


def _list_row(x: Warned) -> dict:
    d = x.dossier
    return {
        "klass": x.klass.label,
        "code": d.code,
        "procedure": d.procedure or d.procedure_code or "",
        "field": d.field or "",
        "received": fmt_datetime(d.received_at),
        "due": fmt_date(d.due_at) if d.due_at else "",
        "days_left": x.days_left,
        "status": d.status_label or "",
    }


def unit_table(uw: UnitWarnings, dossiers: Sequence[Warned], subtitle: str) -> Table:
    """One unit's list, for its sheet."""
    mine = [x for x in dossiers if x.unit.id == uw.unit.id]
    return Table(
        f"Hồ sơ cần xử lý — {uw.unit.name}",
        subtitle,
        LIST_COLUMNS,
        [_list_row(x) for x in mine],
        sheet=uw.unit.name,
    )


def counts_table(w: Warnings, subtitle: str) -> Table:
    """The scope's totals first, then every unit: how many of each class."""
    rows = [
        {"unit_code": u.unit.code, "unit_name": u.unit.name} | {c.value: u.counts[c] for c in ORDER}
        for u in [w.parent, *w.units]
    ]
    return Table("Cảnh báo hồ sơ theo đơn vị", subtitle, COUNT_COLUMNS, rows, sheet="Tổng hợp")


def list_subtitle(w: Warnings, newest: dt.datetime | None) -> str:
    """The line under a list's title: as of when, and how far "due soon" looks."""
    return f"{as_of_text(w, newest)} · sắp đến hạn {horizon_text(w)}"


def workbook(w: Warnings, newest: dt.datetime | None, dossiers: Sequence[Warned]) -> bytes:
    """One unit: its list; several: the totals, then a sheet per unit with its list."""
    subtitle = list_subtitle(w, newest)
    if len(w.units) == 1:
        return to_xlsx([unit_table(w.units[0], dossiers, subtitle)])
    sheets = [unit_table(u, dossiers, subtitle) for u in w.units]
    return to_xlsx([counts_table(w, subtitle), *sheets])


def rows(dossiers: Sequence[Warned]) -> list[dict]:
    """One row per warned dossier, raw values (CLI, CSV, JSON)."""
    return [
        {
            "unit_code": x.unit.code,
            "unit_ref": x.unit.ref,
            "unit_name": x.unit.name,
            "code": x.dossier.code,
            "procedure_code": x.dossier.procedure_code,
            "procedure": x.dossier.procedure,
            "field": x.dossier.field,
            "received_at": x.dossier.received_at.isoformat(sep=" ", timespec="minutes"),
            "due_at": x.dossier.due_at.date().isoformat() if x.dossier.due_at else None,
            "status": x.dossier.status,
            "class": x.klass.value,
            "days_left": x.days_left,
        }
        for x in dossiers
    ]


def text_rows(dossiers: Sequence[Warned]) -> list[dict]:
    """The rows of `rows` as a person reads them (the CLI's table): Vietnamese dates and
    labels."""
    out = []
    for row, x in zip(rows(dossiers), dossiers, strict=True):
        out.append(
            row
            | {
                "received_at": fmt_datetime(x.dossier.received_at),
                "due_at": fmt_date(x.dossier.due_at) if x.dossier.due_at else "",
                "status": x.dossier.status_label or x.dossier.status,
                "class": x.klass.label,
            }
        )
    return out


def summary_rows(w: Warnings) -> list[dict]:
    """One row per unit (the scope first): the count of each class."""
    return [
        {"unit_code": u.unit.code, "unit_ref": u.unit.ref, "unit_name": u.unit.name}
        | {c.value: u.counts[c] for c in ORDER}
        for u in [w.parent, *w.units]
    ]


PERIOD_NAMES = {"month": "tháng", "quarter": "quý"}
MAX_LISTED = 20  # codes per class in a message; the rest are in the Excel file


def _outlook_line(o: Outlook, period_label: str) -> str:
    name = BY_KEY[o.key].name_vi
    flag = o.flag
    return (
        f"{name} {period_label}: {flag.label.lower() if flag else 'chưa có dữ liệu'} "
        f"(đến nay {display_value(o.key, o.so_far.value)}, nếu xử lý đúng hạn "
        f"{display_value(o.key, o.best.value)}, nếu để quá hạn "
        f"{display_value(o.key, o.worst.value)}; chỉ tiêu {display_value(o.key, o.so_far.target)})"
    )


def message(
    uw: UnitWarnings,
    w: Warnings,
    dossiers: Sequence[Warned],
    outlook: UnitOutlook | None,
    newest: dt.datetime | None,
    stale: str | None = None,
    officers: Sequence[OfficerLine] = (),
) -> str:
    """A unit's morning message, plain Vietnamese text to paste into a chat; `stale`, the
    warning that the data are old, comes first; `officers`, who holds the warned dossiers."""
    c = uw.counts
    head = (
        f"{addressee(uw.unit)}: {fmt_int(c[WarningClass.OVERDUE])} hồ sơ quá hạn, "
        f"{fmt_int(c[WarningClass.DUE_TODAY])} hồ sơ {due_day_text(w)}, "
        f"{fmt_int(c[WarningClass.DUE_SOON])} hồ sơ sắp đến hạn {horizon_text(w)}, "
        f"{fmt_int(c[WarningClass.WAITING_CITIZEN])} hồ sơ chờ công dân bổ sung hoặc tạm dừng "
        f"({as_of_text(w, newest).lower()})."
    )
    lines = [f"LƯU Ý: {stale}", head] if stale else [head]
    mine = [x for x in dossiers if x.unit.id == uw.unit.id]
    for klass in (WarningClass.OVERDUE, WarningClass.DUE_TODAY, WarningClass.DUE_SOON):
        listed = [x for x in mine if x.klass == klass]
        if not listed:
            continue
        items = [
            f"{x.dossier.code} ({x.dossier.procedure or x.dossier.procedure_code or 'không rõ'}"
            f", hẹn trả {fmt_date(x.dossier.due_at)}{_late(x)})"
            for x in listed[:MAX_LISTED]
        ]
        more = len(listed) - MAX_LISTED
        tail = f"; và {fmt_int(more)} hồ sơ khác (xem tệp Excel)" if more > 0 else ""
        label = klass.label
        if klass == WarningClass.DUE_TODAY:  # "Đến hạn ngày 13/03/2025" for a past day
            label = due_day_text(w).capitalize()
        lines.append(f"- {label}: " + "; ".join(items) + tail + ".")
    if officers:
        today = due_day_text(w)
        lines.append("- Theo cán bộ đang giữ hồ sơ:")
        lines += [f"  + {line_text(x, today)}." for x in officers]
    if outlook is not None:
        for period_name, looks in outlook.outlooks.items():
            period = w.periods[period_name]
            for o in looks.values():
                if o.flag in (RiskFlag.AT_RISK, RiskFlag.NEEDS_ACTION):
                    label = period.label[:1].lower() + period.label[1:]  # "quý IV/2026"
                    lines.append("- " + _outlook_line(o, label) + ".")
    return "\n".join(lines)


def _late(x: Warned) -> str:
    if x.days_left is None or x.days_left >= 0:
        return ""
    return f", trễ {fmt_int(-x.days_left)} ngày làm việc"


@dataclass(frozen=True)
class Digest:
    """What `tthc digest` wrote, and each unit's message (in the order of `Warnings.units`)."""

    files: list[Path]
    units: int
    warned: int
    texts: list[str]


def slug(text: str) -> str:
    """A file name part without diacritics: "Xã An Sơn" -> "xa-an-son"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def messages(
    w: Warnings,
    outlooks: Sequence[UnitOutlook],
    newest: dt.datetime | None,
    stale: str | None = None,
    officers: Mapping[int, Sequence[OfficerLine]] | None = None,
) -> list[str]:
    """Each unit's morning message, in the order of `w.units` (the files and the letters)."""
    by_unit = {o.unit.id: o for o in outlooks}
    return [
        message(
            uw, w, w.dossiers, by_unit.get(uw.unit.id), newest, stale,
            (officers or {}).get(uw.unit.id, ()),
        )
        for uw in w.units
    ]  # fmt: skip


def write_digest(
    w: Warnings,
    outlooks: Sequence[UnitOutlook],
    newest: dt.datetime | None,
    out_dir: Path,
    stale: str | None = None,
    officers: Mapping[int, Sequence[OfficerLine]] | None = None,
) -> Digest:
    """Per unit a text message (`<code>-<name>.txt`), all of them in one file to read
    through (`tin-nhan.txt`), and one .xlsx with the totals and a sheet per unit."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = w.as_of.isoformat()
    texts = messages(w, outlooks, newest, stale, officers)
    files = []
    for uw, text in zip(w.units, texts, strict=True):
        path = out_dir / f"{stamp}-{slug(uw.unit.code)}-{slug(uw.unit.name)}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        files.append(path)
    everything = out_dir / f"{stamp}-tin-nhan.txt"
    everything.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    book = out_dir / f"{stamp}-canh-bao-ho-so.xlsx"
    book.write_bytes(workbook(w, newest, w.dossiers))
    return Digest([everything, book, *files], len(w.units), len(w.dossiers), texts)
