"""Cảnh báo: the open dossiers that need action as of a day, per unit, and the running
month's and quarter's targets at risk (what an office checks every morning)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_date, fmt_datetime, fmt_int
from dashboard.domain.officer_warnings import OfficerLine
from dashboard.domain.vocabulary import RiskFlag, WarningClass
from dashboard.domain.warnings import DEFAULT_DAYS, MAX_DAYS, ORDER
from dashboard.exports import warnings as files
from dashboard.services.early_warning import UnitOutlook, UnitWarnings, Warned, Warnings
from dashboard.services.tabular import display_value
from layouts.components.attrs import data
from layouts.components.downloads import download_links
from layouts.components.dropdown import dropdown
from layouts.components.grid_locale import FOLDED_SEARCH, locale

CLASS_OPTIONS = [{"label": c.label, "value": c.value} for c in ORDER]
PERIOD_NAMES = {"month": "Tháng", "quarter": "Quý"}


def layout(**_query: str) -> html.Div:
    """Filter bar and content area; the values come from the URL (callbacks)."""
    return html.Div(
        [
            dcc.Store(id="cb-query"),
            html.Div(id="cb-query-sink", hidden=True),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Tính đến ngày", html_for="cb-as-of"),
                            dcc.DatePickerSingle(
                                id="cb-as-of",
                                display_format="DD/MM/YYYY",
                                placeholder="dd/mm/yyyy",
                                first_day_of_week=1,
                                month_format="MM/YYYY",
                                className="d-block",
                            ),
                        ],
                        md=2,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Sắp đến hạn trong (ngày làm việc)", html_for="cb-days"),
                            dbc.Input(
                                id="cb-days",
                                type="number",
                                min=0,
                                max=MAX_DAYS,
                                step=1,
                                value=DEFAULT_DAYS,
                                debounce=True,
                            ),
                        ],
                        md=2,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Đơn vị (để trống: tất cả)", html_for="cb-units"),
                            dropdown(id="cb-units", multi=True, placeholder="Tất cả đơn vị"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Lĩnh vực", html_for="cb-fields"),
                            dropdown(id="cb-fields", multi=True, placeholder="Tất cả lĩnh vực"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Loại cảnh báo", html_for="cb-classes"),
                            dropdown(
                                id="cb-classes",
                                multi=True,
                                options=CLASS_OPTIONS,
                                placeholder="Tất cả",
                            ),
                        ],
                        md=2,
                    ),
                ],
                className="g-3 mb-3 filter-bar",
            ),
            dcc.Loading(html.Div(id="cb-content")),
        ]
    )


def open_card(counts: dict[WarningClass, int], as_of_text: str, days: int, href: str) -> dbc.Card:
    """The overview's card "Sắp đến hạn / quá hạn đang mở": the open dossiers of the view's
    units and fields that need action now, whatever period the overview shows."""
    items = [
        (WarningClass.OVERDUE, "quá hạn"),
        (WarningClass.DUE_TODAY, "đến hạn hôm nay"),
        (WarningClass.DUE_SOON, f"sắp đến hạn ({days} ngày làm việc)"),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    f"Sắp đến hạn / quá hạn đang mở · {as_of_text}", className="text-muted small"
                ),
                html.Div(
                    [
                        html.Span(
                            [html.B(fmt_int(counts[c]), className="fs-4"), f" {label}"],
                            className=f"me-3 px-2 rounded {'warn-' + c.value if counts[c] else ''}",
                            **data("open", c.value),
                        )
                        for c, label in items
                    ],
                    className="my-1",
                ),
                html.A("Xem danh sách cảnh báo", href=href, className="small"),
            ]
        ),
        className="mb-3",
        id="ov-open",
    )


def as_of_line(w: Warnings, newest: dt.datetime | None) -> str:
    """ "Số liệu đến 16:59 30/10/2026" for the newest day, else the chosen day."""
    if newest is not None and newest.date() == w.as_of:
        return f"Số liệu đến {fmt_datetime(newest)}"
    return f"Số liệu tính đến hết ngày {fmt_date(w.as_of)}"


def counts_table(w: Warnings, unit_links: dict[int, str]) -> html.Table:
    """The scope's totals first, then each unit with its list as an Excel file to send;
    each class in its colour and its words."""
    head = html.Thead(
        html.Tr(
            [html.Th("Đơn vị")]
            + [html.Th(c.label, className=f"warn-{c.value} text-end") for c in ORDER]
            + [html.Th("Danh sách gửi đơn vị")]
        )
    )

    def row(u: UnitWarnings, total: bool = False) -> html.Tr:
        cells = [html.Td(html.B(u.unit.name) if total else u.unit.name)]
        for c in ORDER:
            n = u.counts[c]
            cells.append(
                html.Td(
                    fmt_int(n),
                    className=f"text-end {'warn-' + c.value if n else 'text-muted'}",
                    **data("count", f"{u.unit.code or 'scope'}:{c.value}"),
                )
            )
        href = unit_links.get(u.unit.id)
        cells.append(
            html.Td(
                html.A("Excel", href=href, download="", className="download-link") if href else ""
            )
        )
        return html.Tr(cells, className="table-active" if total else "")

    body = html.Tbody([row(w.parent, True), *[row(u) for u in w.units]])
    return html.Table([head, body], className="table table-sm warn-counts", id="cb-counts")


def outlook_table(outlooks: Sequence[UnitOutlook], w: Warnings) -> html.Div | html.P:
    """Units and indicators whose running-period target is at risk or needs action."""
    rows = []
    for uo in outlooks:
        for period_name, looks in uo.outlooks.items():
            for o in looks.values():
                if o.flag not in (RiskFlag.AT_RISK, RiskFlag.NEEDS_ACTION):
                    continue
                rows.append(
                    html.Tr(
                        [
                            html.Td(uo.unit.name),
                            html.Td(w.periods[period_name].label),
                            html.Td(BY_KEY[o.key].name_vi),
                            html.Td(display_value(o.key, o.so_far.value), className="text-end"),
                            html.Td(display_value(o.key, o.best.value), className="text-end"),
                            html.Td(display_value(o.key, o.worst.value), className="text-end"),
                            html.Td(display_value(o.key, o.so_far.target), className="text-end"),
                            html.Td(o.flag.label, className=f"risk-{o.flag.value}"),
                        ]
                    )
                )
    if not rows:
        return html.P(
            "Không có chỉ tiêu nào của tháng, quý đang chạy có nguy cơ không đạt.",
            className="text-muted",
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (
                    "Đơn vị",
                    "Kỳ",
                    "Chỉ số",
                    "Đến nay",
                    "Nếu xử lý đúng hạn",
                    "Nếu để quá hạn",
                    "Chỉ tiêu",
                    "Đánh giá",
                )
            ]
        )
    )
    return html.Div(
        html.Table([head, html.Tbody(rows)], className="table table-sm", id="cb-outlook"),
        className="table-responsive",
    )


def grid_rows(dossiers: Sequence[Warned]) -> list[dict]:
    """The list's rows: display text beside sortable raw values."""
    return [
        {
            "id": f"{x.unit.id}:{x.dossier.code}",
            "unit_name": x.unit.name,
            "klass": x.klass.value,
            "klass_text": x.klass.label,
            "code": x.dossier.code,
            "procedure": x.dossier.procedure or x.dossier.procedure_code or "",
            "field": x.dossier.field or "",
            "received": x.dossier.received_at.isoformat(),
            "received_text": fmt_datetime(x.dossier.received_at),
            "due": x.dossier.due_at.isoformat() if x.dossier.due_at else "",
            "due_text": fmt_date(x.dossier.due_at) if x.dossier.due_at else "",
            "days_left": x.days_left,
            "status": x.dossier.status_label or "",
        }
        for x in dossiers
    ]


def dossier_grid(dossiers: Sequence[Warned]) -> dag.AgGrid:
    """Every warned dossier; sortable, filterable by unit, field and class."""
    columns = [
        {"field": "unit_name", "headerName": "Đơn vị", "width": 160, "pinned": "left"}
        | FOLDED_SEARCH,
        {
            "field": "klass_text",
            "headerName": "Cảnh báo",
            "width": 150,
            "cellClass": {"function": "'warn-' + params.data.klass"},
        }
        | FOLDED_SEARCH,
        {"field": "code", "headerName": "Mã hồ sơ", "width": 190} | FOLDED_SEARCH,
        {"field": "procedure", "headerName": "Thủ tục", "flex": 1, "minWidth": 260} | FOLDED_SEARCH,
        {"field": "field", "headerName": "Lĩnh vực", "width": 150} | FOLDED_SEARCH,
        {
            "field": "received",
            "headerName": "Tiếp nhận",
            "width": 150,
            "valueFormatter": {"function": "params.data.received_text"},
        },
        {
            "field": "due",
            "headerName": "Hẹn trả",
            "width": 120,
            "valueFormatter": {"function": "params.data.due_text"},
        },
        {
            "field": "days_left",
            "headerName": "Ngày làm việc còn lại",
            "width": 150,
            "wrapHeaderText": True,  # two lines, never cut
            "autoHeaderHeight": True,
            "type": "numericColumn",
            "headerTooltip": "Số ngày làm việc đến ngày hẹn trả; số âm: đã trễ",
        },
        {"field": "status", "headerName": "Trạng thái", "width": 150},
    ]
    rows = grid_rows(dossiers)
    tall = len(rows) > 25
    return dag.AgGrid(
        id="cb-grid",
        rowData=rows,
        columnDefs=columns,
        getRowId="params.data.id",
        defaultColDef={"sortable": True, "resizable": True},
        dashGridOptions={
            "domLayout": "normal" if tall else "autoHeight",
            "pagination": True,
            "paginationPageSize": 50,
            "localeText": locale("Không có hồ sơ nào cần cảnh báo"),
        },
        className="warn-grid",
        style={"width": "100%", **({"height": "70vh"} if tall else {})},
    )


def officer_section(w: Warnings, officers: Mapping[int, Sequence[OfficerLine]]) -> list:
    """Per unit, each officer holding warned dossiers (at the step running at the day's end)
    and their open steps past their own deadline."""
    if not officers:
        return []
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "Đơn vị", "Cán bộ đang giữ hồ sơ", "Quá hạn", files.due_day_text(w).capitalize(),
        "Sắp đến hạn", "Bước trễ hạn")]))  # fmt: skip
    rows = []
    for uw in w.units:
        for x in officers.get(uw.unit.id, ()):
            rows.append(
                html.Tr(
                    [html.Td(uw.unit.name), html.Td(x.name)]
                    + [
                        html.Td(fmt_int(v), className="text-end")
                        for v in (x.overdue, x.due_today, x.due_soon, x.late_steps)
                    ]  # fmt: skip
                )
            )
    if not rows:
        return []
    return [
        html.H2("Theo cán bộ", className="h5 mt-3"),
        html.Div(
            dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, id="cb-officers"),
            className="table-responsive",
        ),
    ]


def content(
    w: Warnings,
    shown: Sequence[Warned],
    outlooks: Sequence[UnitOutlook],
    newest: dt.datetime | None,
    missing_day: dt.date | None,
    query: str,
    unit_links: dict[int, str],
    officers: Mapping[int, Sequence[OfficerLine]] | None = None,
) -> html.Div:
    """Everything below the filter bar; `query` is the view's, `unit_links` each unit's
    Excel file, `officers` who holds the warned dossiers (none: not shown)."""
    stale = files.stale_text(w, newest, missing_day)
    notice = dbc.Alert(stale, color="warning", className="py-2", id="cb-stale") if stale else None
    total = w.parent
    links = [("Excel: tổng hợp và mỗi đơn vị một trang", f"/xuat/canh-bao.xlsx{query}")]
    summary = (
        f"{as_of_line(w, newest)}. {w.era.name}: {fmt_int(total.counts[WarningClass.OVERDUE])} "
        f"hồ sơ quá hạn, {fmt_int(total.counts[WarningClass.DUE_TODAY])} "
        f"{files.due_day_text(w)}, "
        f"{fmt_int(total.counts[WarningClass.DUE_SOON])} sắp đến hạn trong {w.horizon.days} "
        f"ngày làm việc tới (đến {fmt_date(w.horizon.last_day)}), "
        f"{fmt_int(total.counts[WarningClass.WAITING_CITIZEN])} chờ công dân."
    )
    return html.Div(
        [
            html.H1(f"Cảnh báo · {w.era.name} · {fmt_date(w.as_of)}", className="h4"),
            html.P(summary, id="cb-summary"),
            notice,
            download_links(links),
            html.H2("Theo đơn vị", className="h5 mt-3"),
            html.Div(counts_table(w, unit_links), className="table-responsive"),
            *officer_section(w, officers or {}),
            html.H2("Chỉ tiêu của tháng, quý đang chạy", className="h5 mt-3"),
            outlook_table(outlooks, w),
            html.H2(
                f"Danh sách hồ sơ ({fmt_int(len(shown))})", className="h5 mt-3", id="cb-list-title"
            ),
            dossier_grid(shown),
        ]
    )
