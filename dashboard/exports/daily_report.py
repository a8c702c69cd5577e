"""The 17:00 daily report as files and a letter's parts: a subject, a plain text, an HTML body
with its charts, and an .xlsx (the day, the month to date, the units below target)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_date, fmt_datetime, fmt_int, vn_sort_key
from dashboard.exports import charts, views
from dashboard.exports.gauge import STATUS_COLORS
from dashboard.exports.tables import to_xlsx
from dashboard.services.daily_report import DailyReport
from dashboard.services.report import UnitReport
from dashboard.services.tabular import display_value, fmt_gap

# The two rates charted for the month so far: what seed 004 watches first.
CHARTED = ("on_time", "online_submission")
CHART_SIZE = (1200, 620)


def subject(r: DailyReport, scope_name: str) -> str:
    """ "Báo cáo 17:00 ngày 30/10/2026 – Huyện Nam Sách: 4 đơn vị có chỉ số không đạt"."""
    units = len({b.unit.id for b in r.below})
    tail = f"{units} đơn vị có chỉ số không đạt" if units else "mọi đơn vị đạt chỉ tiêu"
    return f"Báo cáo 17:00 ngày {fmt_date(r.day)} – {scope_name}: {tail}"


def _stale_line(r: DailyReport) -> str | None:
    if not r.stale:
        return None
    when = fmt_datetime(r.newest) if r.newest else "chưa có dữ liệu"
    return f"LƯU Ý: dữ liệu chỉ đến {when}; chưa nhập tệp của ngày {fmt_date(r.day)}."


def _day_line(u: UnitReport) -> str:
    c = u.counts
    return (
        f"tiếp nhận {fmt_int(c['received'])}, giải quyết {fmt_int(c['resolved'])}, "
        f"quá hạn {display_value('overdue', u.indicators['overdue'].value)}"
    )


def _units(rep_units: Sequence[UnitReport]) -> list[UnitReport]:
    return sorted(rep_units, key=lambda u: vn_sort_key(u.unit.name))


def text(r: DailyReport, scope_name: str) -> str:
    """The report in plain Vietnamese: the scope's day and month, then who is below target."""
    m, d = r.month.parent, r.today.parent
    lines = [subject(r, scope_name)]
    if stale := _stale_line(r):
        lines.append(stale)
    lines += [
        f"Trong ngày {fmt_date(r.day)}: {_day_line(d)}.",
        f"{r.month_period.label}: {_day_line(m)}; đúng hạn "
        f"{display_value('on_time', m.indicators['on_time'].value)}, nộp trực tuyến "
        f"{display_value('online_submission', m.indicators['online_submission'].value)}.",
        "",
        "Đơn vị có chỉ số không đạt chỉ tiêu từ đầu tháng:",
    ]
    by_unit: dict[int, list[str]] = {}
    for b in r.below:
        ev = b.indicator
        by_unit.setdefault(b.unit.id, []).append(
            f"{BY_KEY[ev.key].name_vi} {display_value(ev.key, ev.value)} (chỉ tiêu "
            f"{display_value(ev.key, ev.target)}, {fmt_gap(ev.key, ev.gap)})"
        )
    month_units = {u.unit.id: u for u in r.month.units}
    listed = [month_units[i] for i in by_unit if i in month_units]
    for u in _units(listed):
        lines.append(f"- {u.unit.name} ({u.unit.code}): " + "; ".join(by_unit[u.unit.id]) + ".")
    if not by_unit:
        lines.append("- Không có: mọi đơn vị đạt chỉ tiêu.")
    lines += ["", "Trong ngày theo đơn vị:"]
    lines += [f"- {u.unit.name}: {_day_line(u)}." for u in _units(r.today.units)]
    lines += ["", "Chi tiết trong tệp Excel đính kèm."]
    return "\n".join(lines)


def chart(r: DailyReport, key: str) -> go.Figure:
    """One rate for the month so far, a bar per unit coloured by status, the target marked."""
    spec = BY_KEY[key]
    units = [u for u in _units(r.month.units) if u.indicators[key].value is not None]
    values = [(u.indicators[key].value or 0) * 100 for u in units]
    fig = go.Figure(
        go.Bar(
            x=[u.unit.name for u in units],
            y=values,
            marker_color=[STATUS_COLORS[u.indicators[key].status] for u in units],
            text=[display_value(key, u.indicators[key].value) for u in units],
            textposition="outside",
        )
    )
    target = r.month.parent.indicators[key].target * 100
    fig.add_hline(
        y=target,
        line_dash="dash",
        annotation_text=f"Chỉ tiêu {target:g} %",
        annotation_position="bottom left",
    )
    fig.update_layout(
        title=f"{spec.name_vi} – {r.month_period.label}",
        yaxis={"range": [0, 110], "ticksuffix": " %"},
        separators=", ",
        margin={"t": 70, "b": 60},
        template="plotly_white",
    )
    return fig


def chart_images(r: DailyReport) -> list[tuple[str, bytes]]:
    """(name, PNG) of the charted rates, drawn at once."""
    pending = charts.images([chart(r, k) for k in CHARTED], "png", *CHART_SIZE)
    return [(f"{k}.png", charts.result(p)) for k, p in zip(CHARTED, pending, strict=True)]


def to_html(r: DailyReport, scope_name: str, image_refs: Sequence[str]) -> str:
    """The text as HTML, the charts (`image_refs`: their src, "cid:…" in a letter) after it."""
    paragraphs = text(r, scope_name).split("\n\n")
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    imgs = "".join(
        f'<p><img src="{html.escape(src)}" alt="{html.escape(BY_KEY[k].name_vi)}" '
        f'width="{CHART_SIZE[0] // 2}"></p>'
        for k, src in zip(CHARTED, image_refs, strict=True)
    )
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject(r, scope_name))}</title></head>"
        f'<body style="font-family:Arial,sans-serif">{body}{imgs}</body></html>'
    )


def workbook(r: DailyReport) -> bytes:
    """The day, the month to date (every unit and indicator) and the units below target."""
    day_t = views.indicators(r.today, r.today.period.label, r.newest)
    day_t.sheet, day_t.title = "Trong ngày", f"Chỉ số trong ngày {fmt_date(r.day)}"
    month_t = views.indicators(r.month, r.month_period.label, r.newest)
    month_t.sheet = "Lũy kế tháng"
    below_t = views.below_target(r.below, r.month_period.label, r.newest)
    below_t.sheet, below_t.title = "Không đạt chỉ tiêu", "Đơn vị có chỉ số không đạt chỉ tiêu"
    return to_xlsx([day_t, month_t, below_t])


@dataclass(frozen=True)
class Written:
    """The report's files on disk."""

    files: list[Path]
    images: list[tuple[str, bytes]]
    xlsx: bytes


def file_stem(day: dt.date) -> str:
    """ "2026-10-30-bao-cao-17h"."""
    return f"{day.isoformat()}-bao-cao-17h"


def write(r: DailyReport, scope_name: str, out_dir: Path) -> Written:
    """The .xlsx, the .txt, and an .html page with its chart images beside it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(r.day)
    images = chart_images(r)
    book = workbook(r)
    files = [out_dir / f"{stem}.xlsx", out_dir / f"{stem}.txt", out_dir / f"{stem}.html"]
    files[0].write_bytes(book)
    files[1].write_text(text(r, scope_name) + "\n", encoding="utf-8")
    refs = [f"{stem}-{name}" for name, _ in images]
    for ref, (_, png) in zip(refs, images, strict=True):
        (out_dir / ref).write_bytes(png)
        files.append(out_dir / ref)
    files[2].write_text(to_html(r, scope_name, refs), encoding="utf-8")
    return Written(files, images, book)
