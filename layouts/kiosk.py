"""Trình chiếu: the meeting-room wall screen. Full screen, large type, high contrast; the
slides rotate by themselves (assets/kiosk.js) and the data refreshes without a reload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

from dashboard.early_warning import Warnings
from dashboard.formatting import fmt_date, fmt_int, fmt_percent
from dashboard.indicators.catalog import BY_KEY, CATALOG
from dashboard.indicators.vocabulary import WarningClass
from dashboard.report import LONG_RUN, BelowTarget, LeagueRow, UnitReport
from dashboard.tabular import display_value
from layouts.components.attrs import data
from layouts.components.gauge import gauge_figure
from layouts.components.status import STATUS_TEXT

ROWS_PER_SLIDE = 10  # readable from 5 m on a 1080p screen at the kiosk type size
LEAGUE_COLUMNS = ("online_submission", "online_payment", "on_time", "overdue")
COUNT_KEYS = ("overdue", "paused", "returned")
MARK = {"dat": "✓", "khong_dat": "✗", "khong_co_du_lieu": "—"}


def layout(**_query: str) -> html.Div:
    """The frame: header, slide area, progress cue; callbacks fill the slides."""
    return html.Div(
        [
            dcc.Store(id="kiosk-version"),
            dcc.Store(id="kiosk-heartbeat"),
            dcc.Store(id="kiosk-config"),
            dcc.Interval(id="kiosk-tick", interval=20_000),
            dcc.Interval(id="kiosk-refresh", interval=300_000),
            html.Header(
                [
                    html.Div(id="kiosk-title", className="kiosk-title"),
                    html.Div(id="kiosk-period", className="kiosk-period"),
                    html.Div(id="kiosk-updated", className="kiosk-updated"),
                ],
                className="kiosk-header",
            ),
            html.Div(id="kiosk-offline", className="kiosk-offline", hidden=True),
            html.Main(id="kiosk-slides", className="kiosk-slides"),
            html.Footer(
                [
                    html.Div(
                        html.Div(id="kiosk-bar", className="kiosk-bar"), className="kiosk-track"
                    ),
                    html.Div(id="kiosk-progress", className="kiosk-progress"),
                ],
                className="kiosk-footer",
            ),
        ],
        className="kiosk-root",
    )


def _slide(title: str, body, key: str) -> html.Section:
    return html.Section(
        [html.H2(title, className="kiosk-slide-title"), body],
        className="kiosk-slide",
        **data("slide", key),
    )


def _pages(items: Sequence, size: int = ROWS_PER_SLIDE) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


def _paged_title(title: str, page: int, pages: int) -> str:
    return f"{title} ({page}/{pages})" if pages > 1 else title


def _table(head: list[str], rows: list[list], classes: list[str] | None = None) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in head])),
            html.Tbody(
                [
                    html.Tr([html.Td(c) for c in row], className=(classes or [""] * len(rows))[i])
                    for i, row in enumerate(rows)
                ]
            ),
        ],
        className="kiosk-table",
    )


def _cell(rep: UnitReport, key: str) -> html.Span:
    ev = rep.indicators[key]
    return html.Span(
        f"{display_value(key, ev.value)} {MARK[ev.status]}", className=f"kiosk-{ev.status}"
    )


def overview_slide(district: UnitReport) -> html.Section:
    """Gauges of the rate indicators, and the three dossier counts, for the district."""
    gauges = []
    for spec in CATALOG:
        ev = district.indicators[spec.key]
        if spec.unit != "%" or ev.value is None:
            continue
        fig = gauge_figure(ev, None, spec.name_vi)
        fig["layout"].update(
            height=235,
            font={"color": "#ffffff", "size": 16},
            margin={"l": 40, "r": 40, "t": 60, "b": 5},
        )
        trace = fig["data"][0]
        trace["title"]["font"] = {"size": 19, "color": "#ffffff"}
        trace["gauge"]["threshold"]["line"] = {"color": "#ffffff", "width": 4}
        gauges.append(
            html.Div(
                [
                    dcc.Graph(figure=fig, config={"staticPlot": True}),
                    html.Div(STATUS_TEXT[ev.status], className=f"kiosk-caption kiosk-{ev.status}"),
                ],
                className="kiosk-gauge",
            )
        )
    counts = [
        html.Div(
            [
                html.Div(fmt_int(round(district.indicators[k].value or 0)), className="kiosk-big"),
                html.Div(BY_KEY[k].name_vi),
            ],
            className=f"kiosk-count kiosk-{district.indicators[k].status}",
        )
        for k in COUNT_KEYS
    ]
    body = html.Div(
        [html.Div(counts, className="kiosk-counts"), html.Div(gauges, className="kiosk-gauges")]
    )
    return _slide(f"Tổng quan · {district.unit.name}", body, "overview")


def league_slides(rows: list[LeagueRow], title: str, key: str) -> list[html.Section]:
    """The league table, paged."""
    head = ["Hạng", "±", "Đơn vị", "Điểm 766"] + [BY_KEY[k].name_vi for k in LEAGUE_COLUMNS]
    pages = _pages(rows)
    out = []
    for i, page in enumerate(pages, 1):
        table_rows, classes = [], []
        for r in page:
            rep, move = r.report, r.ranked.movement
            arrow = (
                ""
                if move is None
                else ("▲" + str(move) if move > 0 else "▼" + str(-move) if move < 0 else "=")
            )
            table_rows.append(
                [
                    "—" if r.ranked.rank is None else str(r.ranked.rank),
                    arrow,
                    rep.unit.name,
                    fmt_percent(rep.score.share) if rep.has_data else "—",
                    *[_cell(rep, k) for k in LEAGUE_COLUMNS],
                ]
            )
            misses = any(rep.indicators[k].status == "khong_dat" for k in LEAGUE_COLUMNS)
            classes.append("kiosk-row-miss" if misses else "")
        out.append(
            _slide(
                _paged_title(title, i, len(pages)), _table(head, table_rows, classes), f"{key}-{i}"
            )
        )
    return out


def explain_slides(items: list[BelowTarget]) -> list[html.Section]:
    """Units below target, one row each (indicators missed, the longest run), longest first."""
    by_unit: dict[int, list[BelowTarget]] = {}
    for r in items:
        by_unit.setdefault(r.unit.id, []).append(r)
    ordered = sorted(
        by_unit.values(), key=lambda rs: (-max(r.consecutive_periods for r in rs), -len(rs))
    )
    head = ["Đơn vị", "Số chỉ tiêu", "Chỉ tiêu không đạt (kết quả / mục tiêu)", "Liên tiếp"]
    pages = _pages(ordered, 8)
    out = []
    for i, page in enumerate(pages, 1):
        rows, classes = [], []
        for rs in page:
            longest = max(r.consecutive_periods for r in rs)
            misses = "; ".join(
                f"{BY_KEY[ev.key].name_vi} {display_value(ev.key, ev.value)}"
                f" / {display_value(ev.key, ev.target)}"
                for ev in (r.indicator for r in rs)
            )
            rows.append(
                [
                    rs[0].unit.name,
                    str(len(rs)),
                    html.Span(misses, className="kiosk-small"),
                    f"⚠ {longest} kỳ" if longest >= LONG_RUN else f"{longest} kỳ",
                ]
            )
            classes.append("kiosk-row-streak" if longest >= LONG_RUN else "")
        body = (
            _table(head, rows, classes) if items else html.P("Không có đơn vị nào dưới mục tiêu.")
        )
        out.append(
            _slide(_paged_title("Đơn vị phải giải trình", i, len(pages)), body, f"explain-{i}")
        )
    return out


def counts_slides(units: list[UnitReport]) -> list[html.Section]:
    """Units with overdue, paused or returned dossiers, most overdue first, paged; the units
    with none are named in one line rather than filling slides with zeros."""

    def count(u: UnitReport, k: str) -> int:
        return round(u.indicators[k].value or 0)

    listed = [u for u in units if u.has_data and any(count(u, k) for k in COUNT_KEYS)]
    listed.sort(key=lambda u: tuple(-count(u, k) for k in COUNT_KEYS))
    clean = [u.unit.name for u in units if u.has_data and u not in listed]
    head = ["Đơn vị"] + [BY_KEY[k].name_vi for k in COUNT_KEYS]
    pages = _pages(listed)
    out = []
    for i, page in enumerate(pages, 1):
        rows = [[u.unit.name, *[fmt_int(count(u, k)) for k in COUNT_KEYS]] for u in page]
        body: list[Any] = [_table(head, rows)] if rows else []
        if clean and i == len(pages):
            body.append(
                html.P(
                    f"Không có hồ sơ quá hạn, tạm dừng, trả lại: {', '.join(clean)}.",
                    className="kiosk-small mt-2",
                )
            )
        title = _paged_title("Hồ sơ quá hạn, tạm dừng, trả lại theo đơn vị", i, len(pages))
        out.append(_slide(title, html.Div(body), f"counts-{i}"))
    return out


def warning_slides(w: Warnings) -> list[html.Section]:
    """The units with open dossiers late, due today or due within the next working days (as
    of the newest day), most late first, paged; the others named in one line."""
    shown = (WarningClass.OVERDUE, WarningClass.DUE_TODAY, WarningClass.DUE_SOON)
    listed = [u for u in w.units if u.warned]
    listed.sort(key=lambda u: tuple(-u.counts[c] for c in shown))
    clean = [u.unit.name for u in w.units if not u.warned]
    head = ["Đơn vị", "Quá hạn", "Đến hạn hôm nay", f"Sắp đến hạn ({w.horizon.days} ngày)"]
    pages = _pages(listed)
    out = []
    for i, page in enumerate(pages, 1):
        rows = [[u.unit.name, *[fmt_int(u.counts[c]) for c in shown]] for u in page]
        body: list[Any] = [_table(head, rows)] if rows else []
        if clean and i == len(pages):
            body.append(
                html.P(
                    f"Không có hồ sơ quá hạn hay sắp đến hạn: {', '.join(clean)}.",
                    className="kiosk-small mt-2",
                )
            )
        title = _paged_title(f"Hồ sơ đang mở cần xử lý (đến {fmt_date(w.as_of)})", i, len(pages))
        out.append(_slide(title, html.Div(body), f"warnings-{i}"))
    return out
