"""Đơn vị: one unit's indicators against targets and the district, and its problem dossiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.catalog import BY_KEY, CATALOG
from dashboard.domain.formatting import fmt_date, fmt_datetime
from dashboard.domain.periods import parse_period
from dashboard.domain.records import EventRow, ProblemDossier
from dashboard.domain.targets import STATUS_TEXT
from dashboard.domain.vocabulary import ExplanationStatus, labels
from dashboard.services.report import UnitReport
from dashboard.services.tabular import display_value, problem_rows
from dashboard.services.trends import UnitMonth
from layouts import officers
from layouts.components.attrs import data
from layouts.components.dropdown import dropdown
from layouts.components.grid_locale import locale
from layouts.components.period import period_picker
from layouts.components.trend import rank_chart, unit_vs_district

STATUS_LABELS = labels(ExplanationStatus)


def layout(**_query: str) -> html.Div:
    """Period and unit choosers, then the content (callbacks fill both)."""
    return html.Div(
        [
            dcc.Store(id="un-query"),
            html.Div(id="un-query-sink", hidden=True),
            dbc.Row(
                [
                    period_picker("un"),
                    dbc.Col(
                        [
                            dbc.Label("Đơn vị", html_for="un-unit"),
                            dropdown(id="un-unit", clearable=False, placeholder="Chọn đơn vị"),
                            dbc.Checkbox(
                                id="un-former",
                                label="Cả các đơn vị cũ đã sáp nhập (trước sắp xếp)",
                                value=False,
                                className="small mt-1",
                            ),
                        ],
                        md=5,
                    ),
                ],
                className="g-3 mb-3 filter-bar",
            ),
            html.Div(id="un-notice"),
            dbc.Tabs(
                [
                    dbc.Tab(
                        dcc.Loading(html.Div(id="un-content", className="pt-3")),
                        label="Chỉ số và hồ sơ",
                        tab_id="un-tab-figures",
                    ),
                    dbc.Tab(
                        officers.tab(),
                        label="Cán bộ và bước xử lý",
                        tab_id="un-tab-officers",
                        id="un-tab-officers-label",
                    ),
                ],
                id="un-tabs",
                active_tab="un-tab-figures",
            ),
        ]
    )


def content(
    unit: UnitReport,
    district: UnitReport,
    period_label: str,
    problems: list[ProblemDossier],
    end: dt.date,
    events: list[EventRow] | None = None,
    trends: html.Div | None = None,
) -> html.Div:
    """Indicator table and the paginated list of overdue, paused and returned dossiers."""
    head = html.Thead(
        html.Tr(
            [html.Th(h) for h in ("Chỉ số", "Đơn vị", "Chỉ tiêu", "Đánh giá", district.unit.name)]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(spec.name_vi, title=spec.definition_vi),
                    html.Td(
                        display_value(spec.key, unit.indicators[spec.key].value),
                        **data("indicator", spec.key),
                    ),
                    html.Td(display_value(spec.key, unit.indicators[spec.key].target)),
                    html.Td(
                        STATUS_TEXT[unit.indicators[spec.key].status],
                        className=f"status-{unit.indicators[spec.key].status}",
                    ),
                    html.Td(display_value(spec.key, district.indicators[spec.key].value)),
                ]
            )
            for spec in CATALOG
        ]
    )
    rows = problem_rows(problems, end)
    columns = [
        {"field": "kind", "headerName": "Loại", "width": 140, "filter": True},
        {"field": "code", "headerName": "Mã hồ sơ", "width": 190},
        # A long procedure name wraps, and shows whole on hover too.
        {
            "field": "procedure",
            "headerName": "Thủ tục",
            "flex": 1,
            "minWidth": 220,
            "wrapText": True,
            "autoHeight": True,
            "tooltipField": "procedure",
            "cellStyle": {"lineHeight": "1.3", "paddingTop": "6px", "paddingBottom": "6px"},
        },
        {"field": "received", "headerName": "Tiếp nhận", "width": 150},
        {"field": "due", "headerName": "Hẹn trả", "width": 120},
        {"field": "finished", "headerName": "Có kết quả", "width": 120},
        {"field": "days_late", "headerName": "Số ngày trễ", "width": 120, "type": "numericColumn"},
        {"field": "status", "headerName": "Trạng thái", "width": 150},
    ]
    grid = dag.AgGrid(
        id="un-dossiers",
        rowData=rows,
        columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True},
        dashGridOptions={
            "tooltipShowDelay": 300,
            "pagination": True,
            "paginationPageSize": 20,
            "domLayout": "autoHeight",
            "localeText": locale("Không có hồ sơ quá hạn, tạm dừng hay trả lại trong kỳ"),
        },
        className="unit-dossiers",
        style={"width": "100%"},
    )
    return html.Div(
        [
            html.H1(f"{unit.unit.name} ({unit.unit.code}) · {period_label}", className="h4"),
            dbc.Table([head, body], size="sm", striped=True, className="unit-indicators"),
            trends,
            html.H2(
                f"Hồ sơ quá hạn, tạm dừng, trả lại ({len(rows)})",
                id="un-dossiers-title",
                className="h5 mt-3",
            ),
            grid,
            html.H2("Lịch sử giải trình", className="h5 mt-4"),
            explanation_history(events or []),
        ]
    )


def explanation_history(events: list[EventRow]) -> html.Div | html.P:
    """Every recorded change to the unit's explanations, newest first."""
    if not events:
        return html.P("Chưa có giải trình nào được ghi nhận.", className="unit-explanations")
    head = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (
                    "Thời gian",
                    "Kỳ",
                    "Chỉ số",
                    "Trạng thái",
                    "Người cập nhật",
                    "Giải trình",
                    "Kế hoạch khắc phục",
                    "Hạn",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(fmt_datetime(e.at)),
                    html.Td(parse_period(e.period).label),
                    html.Td(BY_KEY[e.indicator].name_vi if e.indicator in BY_KEY else e.indicator),
                    html.Td(STATUS_LABELS[e.status]),
                    html.Td(e.author),
                    html.Td(e.text),
                    html.Td(e.remediation_plan),
                    html.Td(fmt_date(e.deadline) if e.deadline else ""),
                ]
            )
            for e in events
        ]
    )
    return dbc.Table([head, body], size="sm", striped=True, className="unit-explanations")


def trends(months: list[UnitMonth], unit_name: str) -> html.Div | None:
    """Month by month: each indicator for the unit against the scope, and its rank; months
    before the unit existed show its predecessors' sum, marked as such."""
    if len(months) < 2:
        return None
    labels = [f"{m.period.start:%m/%Y}" for m in months]
    summed = [bool(m.unit and m.unit.predecessors) for m in months]
    first_own = next((m.period.start for m, s in zip(months, summed, strict=True) if not s), None)
    since = (
        f"{first_own.day}/{first_own.month}/{first_own.year}" if first_own and any(summed) else None
    )
    scope_name = months[-1].district.unit.name
    charts: list[Any] = [
        dcc.Graph(
            figure=rank_chart(labels, [m.rank for m in months], [m.ranked for m in months]),
            config={"displayModeBar": False, "locale": "vi"},
            className="unit-rank-trend",
        )
    ]
    for spec in CATALOG:
        if all(m.district.indicators[spec.key].value is None for m in months):
            continue  # not in the export (e.g. publicity): no line to draw
        charts.append(
            html.Div(
                dcc.Graph(
                    figure=unit_vs_district(
                        spec,
                        labels,
                        [m.unit.indicators[spec.key].value if m.unit else None for m in months],
                        [m.district.indicators[spec.key].value for m in months],
                        months[-1].unit.indicators[spec.key].target if months[-1].unit else None,
                        unit_name,
                        scope_name,
                        summed,
                        since,
                    ),
                    config={"displayModeBar": False, "locale": "vi"},
                ),
                title=spec.definition_vi,
            )
        )
    return html.Div(
        [
            html.H2(
                f"Xu hướng {len(months)} tháng (đơn vị: đường liền; {scope_name}: chấm)",
                className="h5 mt-3",
            ),
            dbc.Row([dbc.Col(c, md=6, xl=4) for c in charts], className="g-2 unit-trends"),
        ]
    )


def no_units(period_label: str) -> html.P:
    """The period has no unit this account may see."""
    return html.P(f"Không có đơn vị nào để xem trong {period_label}.", className="text-muted")
