"""Tổng quan: gauges per rate indicator, dossier counts with their change, the 766 score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.catalog import CATALOG
from dashboard.domain.formatting import fmt_date, fmt_int, fmt_number, fmt_percent
from dashboard.domain.periods import Period
from dashboard.domain.targets import STATUS_TEXT
from dashboard.exports.gauge import gauge_figure
from dashboard.services.report import UnitReport
from layouts.components import assessment
from layouts.components.attrs import data
from layouts.components.downloads import download_links
from layouts.components.dropdown import dropdown
from layouts.components.period import how_counted, period_picker
from layouts.components.trend import sparkline

COUNT_KEYS = ("overdue", "paused", "returned")


def layout(**_query: str) -> html.Div:
    """Filter bar and content area; the filter values come from the URL (callbacks)."""
    return html.Div(
        [
            dcc.Store(id="ov-query"),
            html.Div(id="ov-query-sink", hidden=True),
            dbc.Row(
                [
                    period_picker("ov"),
                    dbc.Col(
                        [
                            dbc.Label(
                                "Đơn vị (để trống: toàn phạm vi theo dõi)", html_for="ov-units"
                            ),
                            dropdown(id="ov-units", multi=True, placeholder="Toàn phạm vi"),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Lĩnh vực", html_for="ov-fields"),
                            dropdown(id="ov-fields", multi=True, placeholder="Tất cả lĩnh vực"),
                        ],
                        md=4,
                    ),
                ],
                className="g-3 mb-3 filter-bar",
            ),
            dcc.Loading(html.Div(id="ov-content")),
        ]
    )


def _caption(ev) -> html.Div:
    fraction = (
        ""
        if ev.denominator in (None, 0)
        else f" ({fmt_int(ev.numerator)}/{fmt_int(ev.denominator)})"
    )
    nb = "\u00a0"  # a number stays whole with its "%": "chỉ tiêu 100 %" never breaks inside
    return html.Div(
        [
            html.Span(fmt_percent(ev.value).replace(" ", nb), className="fw-bold"),
            fraction,
            " · ",
            html.Span(f"chỉ tiêu {fmt_percent(ev.target, 0)}".replace(" ", nb)),
            " · ",
            html.Span(STATUS_TEXT[ev.status].replace(" ", nb), className=f"status-{ev.status}"),
        ],
        className="gauge-caption small text-center",
        **{
            "data-indicator": ev.key,
            "data-value": "" if ev.value is None else repr(ev.value),
            "data-numerator": str(ev.numerator),
            "data-denominator": str(ev.denominator),
        },
    )


def _since(series: list[tuple[Period, UnitReport]]) -> str | None:
    """The first day of the months that no longer sum older units (1/7/2025)."""
    later = [m for m, r in series if not r.predecessors]
    summed = [m for m, r in series if r.predecessors]
    if not summed or not later:
        return None
    return f"{later[0].start.day}/{later[0].start.month}/{later[0].start.year}"


def _trend(spec, series: list[tuple[Period, UnitReport]]) -> html.Div | None:
    """The indicator's last months as a sparkline (None when there is only one month)."""
    values = [r.indicators[spec.key].value for _, r in series]
    if len(series) < 2 or all(v is None for v in values):
        return None
    figure = sparkline(
        spec,
        [f"{m.start:%m/%Y}" for m, _ in series],
        [r.indicators[spec.key].value for _, r in series],
        [r.indicators[spec.key].status for _, r in series],
        series[-1][1].indicators[spec.key].target,
        [bool(r.predecessors) for _, r in series],
        _since(series),
    )
    return html.Div(
        [
            html.Div(f"{len(series)} tháng gần nhất", className="small text-muted"),
            dcc.Graph(figure=figure, config={"displayModeBar": False, "locale": "vi"}),
        ],
        className="trend",
        **data("trend", spec.key),
    )


def _chart_links(key: str, query: str) -> html.Div:
    return download_links(
        [("PNG", f"/xuat/bieu-do/{key}.png{query}"), ("SVG", f"/xuat/bieu-do/{key}.svg{query}")],
        "Tải biểu đồ:",
    )


def _gauge_card(
    ev,
    prev,
    spec,
    code: str,
    period_label: str,
    trend=None,
    query: str = "",
    fields: tuple[str, ...] = (),
) -> dbc.Col:
    graph = dcc.Graph(
        figure=gauge_figure(ev, prev, spec.name_vi),
        config={
            "locale": "vi",
            "displaylogo": False,
            "showSendToCloud": False,  # plotly's "Share chart..." (English, to a cloud)
            "toImageButtonOptions": {
                "format": "png",
                "scale": 3,
                # the field in the name too: "online_payment-0-Hộ tịch-Quý I/2025"
                "filename": "-".join([spec.key, code, *fields, period_label]),
            },
        },
    )
    # The definition is one hover away (title), as the domain guide words it.
    card = dbc.Card(dbc.CardBody([graph, _caption(ev), trend, _chart_links(spec.key, query)]))
    return dbc.Col(html.Div(card, title=spec.definition_vi), md=6, lg=4, xl=3)


# Why the overview's overdue count and the warning page's differ (both are right).
COUNT_NOTES = {
    "overdue": "Trong kỳ: giải quyết trễ hạn cộng còn quá hạn cuối kỳ (trang Cảnh báo đếm hồ "
    "sơ chưa giải quyết đang quá hạn đến nay).",
}


def _count_card(ev, prev, spec, trend=None, query: str = "") -> dbc.Col:
    change = "Kỳ trước chưa có dữ liệu"
    if prev is not None and prev.value is not None:
        diff = round(ev.value - prev.value)
        change = f"{'+' if diff > 0 else ''}{fmt_int(diff)} so với kỳ trước".replace("-", "−")
    body = dbc.CardBody(
        [
            html.Div(spec.name_vi, className="text-muted small"),
            html.Div(
                fmt_int(round(ev.value)),
                className=f"display-6 status-{ev.status}",
                **data("count", spec.key),
            ),
            html.Div(change, className="small"),
            html.Div(COUNT_NOTES.get(spec.key, ""), className="small text-muted count-note"),
            trend,
            _chart_links(spec.key, query),
        ]
    )
    return dbc.Col(html.Div(dbc.Card(body), title=spec.definition_vi), md=4)


def pack_block() -> html.Div:
    """The button that builds the period's briefing pack, its progress and its link."""
    return html.Div(
        [
            dbc.Button(
                "Tạo bộ báo cáo giao ban của kỳ, toàn phạm vi (.pptx, .pdf, .xlsx, công văn, "
                "báo cáo, Biểu 06)",
                id="ov-pack-start",
                size="sm",
                color="primary",
                outline=True,
            ),
            html.Span(id="ov-pack-status", className="ms-2 small", role="status"),
            dcc.Store(id="ov-pack-job"),
            dcc.Interval(id="ov-pack-poll", interval=400, disabled=True),
        ],
        className="mb-2",
    )


def pack_status(steps: list[str], error: str | None, href: str | None, size: int) -> list:
    """The pack's progress in words, then its download link (or what went wrong)."""
    if error:
        return [html.Span(error, className="text-danger")]
    if href:
        mb = f"{size / 1e6:.1f}".replace(".", ",")
        return [
            html.Span(f"{steps[-1]}. " if steps else ""),
            html.A(f"Tải bộ báo cáo ({mb} MB)", href=href, download="", id="ov-pack-link"),
        ]
    return [html.Span(steps[-1] if steps else "Đang tạo bộ báo cáo…")]


def content(
    now: UnitReport,
    before: UnitReport | None,
    period_label: str,
    newest: dt.date | None,
    series: list[tuple[Period, UnitReport]] | None = None,
    query: str = "",
    note: str | None = None,
    open_now: Any = None,
    may_pack: bool = True,
    fields: tuple[str, ...] = (),
) -> html.Div:
    """Everything below the filter bar, from the scope's report and the previous period's;
    `query` is the view's (its downloads; the pack button builds the period's, whole scope);
    `note` says how a period that crosses a reorganization is counted; `open_now` is the card
    of the open dossiers that need action today; `may_pack`: the account may build the
    period's pack (office staff and leadership)."""

    def prev(key: str):
        # A previous period without a single dossier (before the data start) compares with
        # nothing: no "+1.347 so với kỳ trước" against an empty quarter.
        return before.indicators[key] if before and before.has_data else None

    gauges = [
        _gauge_card(
            now.indicators[s.key],
            prev(s.key),
            s,
            now.unit.code,
            period_label,
            _trend(s, series or []),
            query,
            fields,
        )
        for s in CATALOG
        if s.unit == "%"
    ]
    counts = [
        _count_card(now.indicators[s.key], prev(s.key), s, _trend(s, series or []), query)
        for s in CATALOG
        if s.key in COUNT_KEYS
    ]
    score = now.score
    score_text = (
        "chưa có dữ liệu"
        if score.points is None
        else f"{fmt_number(score.points)} / {fmt_number(score.max_supported, 0)} điểm "
        f"({fmt_percent(score.share)})"
    )
    return html.Div(
        [
            html.H1(f"Tổng quan · {now.unit.name} · {period_label}", className="h4"),
            html.P(
                f"Dữ liệu mới nhất: {fmt_date(newest)}. Điểm chất lượng phục vụ (Bộ chỉ số "
                f"766, ước tính từ các nguồn đã nạp; chi tiết ở trang Điểm 766): {score_text}.",
                className="text-muted",
                id="ov-score",
            ),
            how_counted(note, "ov-how-counted"),
            pack_block() if may_pack else None,
            download_links(
                [
                    ("Bảng chỉ số theo đơn vị (Excel)", f"/xuat/bang/chi-so.xlsx{query}"),
                    ("CSV", f"/xuat/bang/chi-so.csv{query}"),
                    ("Biểu số 06/VPCP/KSTT (Excel)", f"/xuat/bieu-06.xlsx{query}"),
                ]
            ),
            open_now,
            assessment.folded("ov-assessment", f"/xuat/bao-cao-ket-qua.docx{query}"),
            dbc.Row(counts, className="g-3 mb-3"),
            dbc.Row(gauges, className="g-3"),
        ]
    )
