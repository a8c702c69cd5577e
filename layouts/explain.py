"""Đơn vị phải giải trình: every unit × indicator below target, and the explanation on record."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_date, fmt_datetime, fmt_int
from dashboard.domain.records import EventRow, ExplanationRow
from dashboard.domain.vocabulary import NEXT_STATUSES, ExplanationStatus, labels
from dashboard.services.standing import LONG_RUN, BelowTarget
from dashboard.services.tabular import display_value, fmt_gap
from layouts.components.dropdown import dropdown
from layouts.components.grid_locale import FOLDED_SEARCH, locale
from layouts.components.period import period_picker

STATUS_LABELS = labels(ExplanationStatus)

NOTHING_ON_RECORD = "Chưa yêu cầu"


RUN_CHOICES = [
    {"label": "Tất cả đơn vị chưa đạt", "value": 0},
    {"label": "Không đạt từ 2 kỳ liên tiếp", "value": 2},
    {"label": f"Không đạt từ {LONG_RUN} kỳ liên tiếp (cảnh báo)", "value": LONG_RUN},
    {"label": "Không đạt từ 4 kỳ liên tiếp", "value": 4},
]


def layout(**_query: str) -> html.Div:
    """Period filter, the list, and the record form of the chosen row (callbacks fill them)."""
    return html.Div(
        [
            dcc.Store(id="ex-query"),
            html.Div(id="ex-query-sink", hidden=True),
            html.Div(id="ex-save-seen", hidden=True),
            dcc.Store(id="ex-saved", data=0),
            dcc.Store(id="ex-selected"),
            dcc.Store(id="ex-author-memory", storage_type="local"),
            dbc.Row(
                [
                    period_picker("ex"),
                    dbc.Col(
                        [
                            dbc.Label("Đơn vị không đạt", html_for="ex-min-run"),
                            # What the list shows is what the letters ask: one rule for both.
                            dropdown(
                                id="ex-min-run",
                                options=RUN_CHOICES,
                                value=0,
                                clearable=False,
                                searchable=False,
                            ),
                        ],
                        md=4,
                    ),
                ],
                className="g-3 mb-3 filter-bar",
            ),
            dcc.Loading(html.Div(id="ex-content")),
            # The record form opens beside the list, so the list keeps its place.
            dbc.Offcanvas(
                [html.Div(id="ex-message"), html.Div(id="ex-form")],
                id="ex-panel",
                title="Giải trình và kế hoạch khắc phục",
                placement="end",
                is_open=False,
                className="explain-panel",
            ),
        ]
    )


def rows(items: list[BelowTarget]) -> list[dict]:
    """Grid rows: one per unit × indicator below target."""
    out = []
    for r in items:
        ev, spec = r.indicator, BY_KEY[r.indicator.key]
        x = r.explanation
        out.append(
            {
                "id": f"{r.unit.id}:{ev.key}",
                "unit_id": r.unit.id,
                "unit_code": r.unit.code,
                "unit_name": r.unit.name,
                "indicator": ev.key,
                "indicator_name": spec.name_vi,
                "value": ev.value,
                "value_text": display_value(ev.key, ev.value),
                "target_text": display_value(ev.key, ev.target),
                "gap": ev.gap,
                "gap_text": fmt_gap(ev.key, ev.gap),
                "streak": r.consecutive_periods,
                "streak_text": (
                    f"⚠ {r.consecutive_periods} kỳ"
                    if r.consecutive_periods >= LONG_RUN
                    else f"{r.consecutive_periods} kỳ"
                ),
                "status": STATUS_LABELS[x.status] if x else NOTHING_ON_RECORD,
                "deadline": fmt_date(x.deadline) if x and x.deadline else "",
                "updated": f"{fmt_datetime(x.updated_at)} · {x.author}" if x else "",
            }
        )
    return out


def content(items: list[BelowTarget], shown: list[BelowTarget], period_label: str) -> html.Div:
    """Summary line over every unit × indicator below target (`items`) and the list of those
    the view shows (streaks of 3+ highlighted, with a text cue too)."""
    units = {r.unit.id for r in items}
    long_runs = {r.unit.id for r in items if r.consecutive_periods >= LONG_RUN}
    summary = (
        f"{period_label}: {fmt_int(len(items))} chỉ tiêu không đạt ở {fmt_int(len(units))} đơn vị; "
        f"{fmt_int(len(long_runs))} đơn vị có chỉ tiêu không đạt từ {LONG_RUN} kỳ liên tiếp. "
        "Chọn một dòng để ghi nhận giải trình và kế hoạch khắc phục."
    )
    columns = [
        {
            "field": "unit_name",
            "headerName": "Đơn vị",
            "width": 170,
            "pinned": "left",
            **FOLDED_SEARCH,
        },
        {"field": "unit_code", "headerName": "Mã", "width": 80},
        {
            "field": "indicator_name",
            "headerName": "Chỉ số",
            "flex": 2,
            "minWidth": 160,
            "filter": True,
            "wrapText": True,
            "autoHeight": True,
            "cellStyle": {"lineHeight": "1.3", "paddingTop": "6px", "paddingBottom": "6px"},
        },
        {
            "field": "value",
            "headerName": "Kết quả",
            "width": 100,
            "valueFormatter": {"function": "params.data.value_text"},
            "type": "numericColumn",
        },
        {"field": "target_text", "headerName": "Chỉ tiêu", "width": 100, "type": "numericColumn"},
        {
            "field": "gap",
            "headerName": "Chênh lệch",
            "width": 150,
            "valueFormatter": {"function": "params.data.gap_text"},
            "type": "numericColumn",
        },
        {
            "field": "streak",
            "headerName": "Số kỳ liên tiếp",
            "width": 95,
            "valueFormatter": {"function": "params.data.streak_text"},
            "headerTooltip": "Số kỳ liên tiếp (cùng độ dài) không đạt, tính cả kỳ này",
        },
        {"field": "status", "headerName": "Giải trình", "flex": 1, "minWidth": 130, "filter": True},
        {"field": "deadline", "headerName": "Hạn khắc phục", "width": 110},
        {"field": "updated", "headerName": "Cập nhật", "flex": 1, "minWidth": 130},
    ]
    grid = dag.AgGrid(
        id="ex-grid",
        rowData=rows(shown),
        columnDefs=columns,
        getRowId="params.data.id",
        # Headers wrap onto a second line rather than being cut ("Số kỳ liên …").
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "filter": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        rowClassRules={"streak-alert": f"params.data.streak >= {LONG_RUN}"},
        dashGridOptions={
            "rowSelection": "single",
            "domLayout": "autoHeight" if len(shown) <= 25 else "normal",
            "pagination": True,
            "paginationPageSize": 25,
            "localeText": locale("Không có đơn vị nào dưới mục tiêu trong kỳ"),
        },
        className="explain-grid",
        style={"width": "100%", **({} if len(shown) <= 25 else {"height": "72vh"})},
    )
    return html.Div([html.P(summary, id="ex-summary", className="mb-2"), grid])


def form(
    item: dict,
    period_key: str,
    period_label: str,
    current: ExplanationRow | None,
    events: list[EventRow],
    author: str,
    permitted: tuple[str, ...] = tuple(STATUS_LABELS),
    person: str = "",
) -> html.Div:
    """The record form of one unit × indicator, with its history (newest first); `person` is
    the logged-in account's name (then the author box shows it and cannot be changed)."""
    now = ExplanationStatus(current.status) if current else None
    allowed = [s for s in NEXT_STATUSES[now] if s in permitted] or [
        ExplanationStatus(current.status) if current else ExplanationStatus.SUBMITTED
    ]
    status_options = [{"label": STATUS_LABELS[s], "value": s} for s in allowed]
    facts = (
        f"Kết quả {item['value_text']}, mục tiêu {item['target_text']}, chênh lệch "
        f"{item['gap_text']}; không đạt {item['streak']} kỳ liên tiếp."
    )
    history = html.Ul(
        [
            html.Li(
                [
                    html.Strong(f"{fmt_datetime(e.at)} · {e.author}: {STATUS_LABELS[e.status]}"),
                    html.Div(f"Giải trình: {e.text}") if e.text else None,
                    html.Div(f"Kế hoạch khắc phục: {e.remediation_plan}")
                    if e.remediation_plan
                    else None,
                    html.Div(f"Hạn: {fmt_date(e.deadline)}") if e.deadline else None,
                ]
            )
            for e in events
        ]
        or [html.Li("Chưa có gì được ghi nhận.")],
        className="explain-history",
    )
    return html.Div(
        [
            html.H2(
                f"{item['unit_name']} — {item['indicator_name']} — {period_label}",
                className="h5",
            ),
            html.P(facts, className="text-body-secondary"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Trạng thái", html_for="ex-status"),
                            dropdown(
                                id="ex-status",
                                options=status_options,
                                value=current.status if current else allowed[0],
                                clearable=False,
                            ),
                        ],
                        md=12,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Hạn hoàn thành khắc phục", html_for="ex-deadline"),
                            # Plain text: what is typed is what is saved (a date picker kept
                            # a typed day only after Enter or Tab, and dropped it silently).
                            dbc.Input(
                                id="ex-deadline",
                                value=fmt_date(current.deadline)
                                if current and current.deadline
                                else "",
                                placeholder="dd/mm/yyyy",
                                inputmode="numeric",
                                maxLength=10,
                                autoComplete="off",
                            ),
                            dbc.FormFeedback(id="ex-deadline-error", type="invalid"),
                            dbc.FormText("Gõ ngày dạng dd/mm/yyyy, ví dụ 15/07/2025."),
                        ],
                        md=12,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Người cập nhật", html_for="ex-author"),
                            # With accounts the record names the logged-in person: shown, not
                            # typed.
                            dbc.Input(
                                id="ex-author",
                                value=person or author,
                                maxLength=100,
                                disabled=bool(person),
                            ),
                            dbc.FormFeedback(id="ex-author-error", type="invalid"),
                        ],
                        md=12,
                    ),
                ],
                className="g-3 mb-2",
            ),
            dbc.Label("Nội dung giải trình (nguyên nhân)", html_for="ex-text"),
            dbc.Textarea(id="ex-text", value=current.text if current else "", rows=3),
            dbc.FormFeedback(id="ex-text-error", type="invalid"),
            dbc.Label("Kế hoạch khắc phục", html_for="ex-plan", className="mt-2"),
            dbc.Textarea(id="ex-plan", value=current.remediation_plan if current else "", rows=3),
            dbc.FormFeedback(id="ex-plan-error", type="invalid"),
            # What saving said, just above the button just pressed (the top of a long panel
            # is out of view; below the button it could fall off the screen).
            html.Div(id="ex-save-message", className="mt-2"),
            dbc.Button("Lưu", id="ex-save", color="primary", className="mt-1"),
            html.H3("Lịch sử", className="h6 mt-3"),
            history,
        ],
        className="explain-form",
    )
