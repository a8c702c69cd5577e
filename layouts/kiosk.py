"""Trình chiếu: the meeting-room wall screen. Full screen, large type, high contrast; the
slides rotate by themselves (assets/kiosk.js) and the data refreshes without a reload.

Every size is relative to the screen's height (assets/app.css), so a 4K screen scales up and a
1280×720 one stays legible. A long table or text is sent whole and the browser cuts it into
pages that fit the screen it is on (each row of class `kiosk-item` whole on one page): nothing
shrinks. A list of units (`data-list`, rows in the order a meeting acts on them) becomes one
page of its first rows, a league its head and its foot, and "và N đơn vị khác" when the whole
rotation would outlast the cycle (a city's 114 units); the full lists stay on the pages and in
the downloads. In words, a list of more than LONG_LIST units names the first TOP_NAMES."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

from dashboard.domain.assessment_facts import KIND_WORDS, Section
from dashboard.domain.catalog import BY_KEY, CATALOG
from dashboard.domain.formatting import fmt_date, fmt_int, fmt_percent
from dashboard.domain.short_lists import LONG_LIST, shorten
from dashboard.domain.targets import STATUS_TEXT
from dashboard.domain.vocabulary import WarningClass
from dashboard.exports.gauge import gauge_figure
from dashboard.services.early_warning import Warnings
from dashboard.services.report import UnitReport
from dashboard.services.standing import LONG_RUN, BelowTarget, LeagueRow
from dashboard.services.tabular import display_value
from layouts.components.attrs import data

LEAGUE_COLUMNS = ("online_submission", "online_payment", "on_time", "overdue")
COUNT_KEYS = ("overdue", "paused", "returned")
MARK = {"dat": "✓", "khong_dat": "✗", "khong_co_du_lieu": "—"}
# Sections of the assessment the league and explanation slides already show unit by unit.
KIOSK_SKIPS = ("Kết quả thực hiện các chỉ tiêu", "Đơn vị chưa đạt chỉ tiêu")
LEAGUE_TITLES = {"phong": "Bảng xếp hạng phòng chuyên môn"}


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


def _slide(
    title: str, body, key: str, pageable: bool = False, listed: str | None = None
) -> html.Section:
    """A slide; `listed` ("top" or, for a league, "ends") marks a list of units the browser
    may cut to one page."""
    attrs = data("slide", key) | (data("pageable", "1") if pageable else {})
    attrs |= data("list", listed) if listed else {}
    return html.Section(
        [
            html.H2([title, html.Span(className="kiosk-page")], className="kiosk-slide-title"),
            html.Div(body, className="kiosk-body"),
        ],
        className="kiosk-slide",
        **attrs,
    )


def _nb(cell: Any) -> Any:
    """A number stays on one line with its unit: 87,03 % and 5 kỳ never break."""
    if isinstance(cell, str):
        return cell.replace(" %", "\u00a0%").replace(" kỳ", "\u00a0kỳ")
    return cell


def _table(
    head: list[str], rows: list[list], classes: list[str] | None = None, detail: int = -1
) -> html.Table:
    """Each row a unit (`kiosk-row`: the browser may show only the first ones); the column
    `detail` is left out when the list is cut to one page, for more units on it."""
    classes = classes or [""] * len(rows)

    def cls(i: int) -> str | None:
        return "kiosk-detail" if i == detail else None

    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h, className=cls(i)) for i, h in enumerate(head)])),
            html.Tbody(
                [
                    html.Tr(
                        [html.Td(_nb(c), className=cls(j)) for j, c in enumerate(row)],
                        className=f"kiosk-item kiosk-row {classes[i]}".strip(),
                    )
                    for i, row in enumerate(rows)
                ]
            ),
        ],
        className="kiosk-table",
    )


def _note(text: str) -> html.P:
    """A line after a table, paged with its rows."""
    return html.P(text, className="kiosk-small kiosk-item kiosk-note")


def _others(lead: str, names: list[str]) -> html.P:
    """The units with nothing to show, named; past LONG_LIST only counted (a city's hundred
    clean units are no news for the meeting)."""
    listed = ", ".join(names) if len(names) <= LONG_LIST else f"{fmt_int(len(names))} đơn vị"
    return _note(f"{lead}: {listed}.")


def _more() -> html.P:
    """Where the browser writes "và N đơn vị khác" when it cuts the list to one page."""
    return html.P(className="kiosk-small kiosk-more")


def _cell(rep: UnitReport, key: str) -> html.Span:
    ev = rep.indicators[key]
    if ev.value is None:  # no value: one dash, not "— —" (the value's and the mark's)
        return html.Span("—", className=f"kiosk-{ev.status}")
    return html.Span(
        _nb(f"{display_value(key, ev.value)} {MARK[ev.status]}"), className=f"kiosk-{ev.status}"
    )


def overview_slide(district: UnitReport) -> html.Section:
    """Gauges of the rate indicators, and the three dossier counts, for the district. The
    gauge's title and status are text (sized with the screen); plotly fits the number."""
    gauges = []
    for spec in CATALOG:
        ev = district.indicators[spec.key]
        if spec.unit != "%" or ev.value is None:
            continue
        fig = gauge_figure(ev, None, "")
        fig["layout"].update(
            font={"color": "#ffffff"},
            margin={"l": 12, "r": 12, "t": 8, "b": 4},
            autosize=True,
        )
        fig["layout"].pop("height", None)
        trace = fig["data"][0]
        trace.pop("title", None)
        trace["number"].pop("font", None)  # plotly sizes the number to the gauge
        trace["gauge"]["axis"] = {"range": [0, 100], "showticklabels": False, "ticks": ""}
        trace["gauge"]["threshold"]["line"] = {"color": "#ffffff", "width": 4}
        gauges.append(
            html.Div(
                [
                    html.Div(spec.name_vi, className="kiosk-gauge-title"),
                    dcc.Graph(
                        figure=fig,
                        config={"staticPlot": True, "responsive": True, "locale": "vi"},
                        className="kiosk-gauge-graph",
                    ),
                    html.Div(
                        _nb(f"{STATUS_TEXT[ev.status]} · mục tiêu {fmt_percent(ev.target, 0)}"),
                        className=f"kiosk-caption kiosk-{ev.status}",
                    ),
                ],
                className="kiosk-gauge",
                **data("gauge", spec.key),
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
        [html.Div(counts, className="kiosk-counts"), html.Div(gauges, className="kiosk-gauges")],
        className="kiosk-overview",
    )
    return _slide(f"Tổng quan · {district.unit.name}", body, "overview")


def assessment_slide(sections: Sequence[Section]) -> html.Section:
    """The period's assessment in words, paged to the screen: the totals, who improved or
    slipped, the problem dossiers, the explanations owed and the score (the targets met by
    each unit are the league and explanation slides' own)."""
    kept = [s for s in sections if not s.title.startswith(KIOSK_SKIPS)]
    items: list[Any] = []
    for s in kept:
        items.append(html.H3(s.title, className="kiosk-item kiosk-keep kiosk-words-head"))
        items.extend(html.P(shorten(p), className="kiosk-item kiosk-words") for p in s.paragraphs)
    return _slide("Nhận xét, đánh giá", items, "words", pageable=True)


def league_title(rows: Sequence[LeagueRow], key: str) -> str:
    """«Bảng xếp hạng xã, phường, đặc khu»: the kinds of unit the table holds (from the units
    catalog), in the assessment's order; the departments' table by its name."""
    if key in LEAGUE_TITLES:
        return LEAGUE_TITLES[key]
    kinds = {r.report.unit.kind for r in rows}
    return "Bảng xếp hạng " + ", ".join(w for k, w in KIND_WORDS.items() if k in kinds)


def league_slides(rows: list[LeagueRow], key: str) -> list[html.Section]:
    """The league table, every unit (paged in the browser; its head and foot when the rotation
    is long); none for a scope without such units (a city has no district departments)."""
    if not rows:
        return []
    head = ["Hạng", "±", "Đơn vị", "Điểm 766"] + [BY_KEY[k].name_vi for k in LEAGUE_COLUMNS]
    table_rows, classes = [], []
    for r in rows:
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
        # A unit without figures has no rank: never shown as the foot of the table.
        classes.append(
            " ".join(["kiosk-row-miss"] * misses + ["kiosk-unranked"] * (r.ranked.rank is None))
        )
    body = [_table(head, table_rows, classes), _more()]
    return [_slide(league_title(rows, key), body, key, pageable=True, listed="ends")]


def explain_slides(items: list[BelowTarget]) -> list[html.Section]:
    """Units below target, one row each (indicators missed, the longest run), longest first."""
    by_unit: dict[int, list[BelowTarget]] = {}
    for r in items:
        by_unit.setdefault(r.unit.id, []).append(r)
    ordered = sorted(
        by_unit.values(), key=lambda rs: (-max(r.consecutive_periods for r in rs), -len(rs))
    )
    head = ["Đơn vị", "Số chỉ tiêu", "Chỉ tiêu không đạt (kết quả / mục tiêu)", "Liên tiếp"]
    rows, classes = [], []
    for rs in ordered:
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
    title = "Đơn vị phải giải trình"
    if not items:
        return [_slide(title, html.P("Không có đơn vị nào dưới mục tiêu."), "explain")]
    body = [_table(head, rows, classes, detail=2), _more()]
    return [_slide(title, body, "explain", pageable=True, listed="top")]


def counts_slides(units: list[UnitReport]) -> list[html.Section]:
    """Units with overdue, paused or returned dossiers, most overdue first, paged; the units
    with none are named in one line rather than filling slides with zeros."""

    def count(u: UnitReport, k: str) -> int:
        return round(u.indicators[k].value or 0)

    listed = [u for u in units if u.has_data and any(count(u, k) for k in COUNT_KEYS)]
    listed.sort(key=lambda u: tuple(-count(u, k) for k in COUNT_KEYS))
    clean = [u.unit.name for u in units if u.has_data and u not in listed]
    head = ["Đơn vị"] + [BY_KEY[k].name_vi for k in COUNT_KEYS]
    rows = [[u.unit.name, *[fmt_int(count(u, k)) for k in COUNT_KEYS]] for u in listed]
    body: list[Any] = [_table(head, rows), _more()] if rows else []
    if clean:
        body.append(_others("Không có hồ sơ quá hạn, tạm dừng, trả lại", clean))
    title = "Hồ sơ quá hạn, tạm dừng, trả lại theo đơn vị"
    return [_slide(title, body, "counts", pageable=True, listed="top")]


def warning_slides(w: Warnings) -> list[html.Section]:
    """The units with open dossiers late, due today or due within the next working days (as
    of the newest day), most late first, paged; the others named in one line."""
    shown = (WarningClass.OVERDUE, WarningClass.DUE_TODAY, WarningClass.DUE_SOON)
    listed = [u for u in w.units if u.warned]
    listed.sort(key=lambda u: tuple(-u.counts[c] for c in shown))
    clean = [u.unit.name for u in w.units if not u.warned]
    head = ["Đơn vị", "Quá hạn", "Đến hạn hôm nay", f"Sắp đến hạn ({w.horizon.days} ngày)"]
    rows = [[u.unit.name, *[fmt_int(u.counts[c]) for c in shown]] for u in listed]
    body: list[Any] = [_table(head, rows), _more()] if rows else []
    if clean:
        body.append(_others("Không có hồ sơ quá hạn hay sắp đến hạn", clean))
    title = f"Hồ sơ đang mở cần xử lý (đến {fmt_date(w.as_of)})"
    return [_slide(title, body, "warnings", pageable=True, listed="top")]
