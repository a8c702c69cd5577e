"""Bảng xếp hạng: communes/towns and departments ranked separately (dash-ag-grid)."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.catalog import CATALOG
from dashboard.services.standing import LeagueRow
from dashboard.services.tabular import league_row
from layouts.components.dropdown import dropdown
from layouts.components.grid_locale import FOLDED_SEARCH, locale
from layouts.components.period import period_picker

# Seed 003: a unit under 75 % of the points must send a remediation plan.
REMEDIATION_SHARE = 0.75
RANK_BY = [{"label": "Điểm 766 (tỷ lệ trên điểm tối đa có dữ liệu)", "value": ""}] + [
    {"label": s.name_vi, "value": s.key} for s in CATALOG if s.key != "publicity"
]


def layout(**_query: str) -> html.Div:
    """Filters, the two tabs and the grid; filled by callbacks."""
    return html.Div(
        [
            dcc.Store(id="lg-query"),
            html.Div(id="lg-query-sink", hidden=True),
            dbc.Row(
                [
                    period_picker("lg"),
                    dbc.Col(
                        [
                            dbc.Label("Xếp theo", html_for="lg-by"),
                            dropdown(id="lg-by", options=RANK_BY, value="", clearable=False),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Lĩnh vực", html_for="lg-fields"),
                            dropdown(id="lg-fields", multi=True, placeholder="Tất cả lĩnh vực"),
                        ],
                        md=4,
                    ),
                ],
                className="g-3 mb-3 filter-bar",
            ),
            dbc.Tabs(
                [
                    dbc.Tab(label="Đơn vị cấp xã", tab_id="xa"),
                    dbc.Tab(label="Phòng chuyên môn", tab_id="phong"),
                ],
                id="lg-group",
                active_tab="xa",
                className="mb-2",
            ),
            dcc.Loading(html.Div(id="lg-content")),
        ]
    )


def _row(r: LeagueRow, by: str | None) -> dict:
    rep = r.report
    row = league_row(r) | {
        "unit_ref": rep.unit.ref,
        "value": r.ranked.value,
        "needs_plan": by is None
        and r.ranked.value is not None
        and r.ranked.value < REMEDIATION_SHARE,
        "ranked_miss": by is not None and rep.indicators[by].status == "khong_dat",
    }
    row.update({f"{s.key}_status": rep.indicators[s.key].status for s in CATALOG})
    return row


def grid(rows: list[LeagueRow], by: str | None, group: str, period: str) -> dag.AgGrid:
    """The league table: rank, movement, 766 share, each indicator coloured by status."""
    columns = [
        {
            "field": "rank",
            "headerName": "Hạng",
            "width": 80,
            "pinned": "left",
            "valueFormatter": {"function": "params.value == null ? '—' : params.value"},
        },
        {
            "field": "movement",
            "headerName": "±",
            "width": 80,
            "pinned": "left",
            "valueFormatter": {"function": "vnMovement(params.value)"},
            "cellClassRules": {"move-up": "params.value > 0", "move-down": "params.value < 0"},
        },
        {"field": "unit_code", "headerName": "Mã", "width": 100, "pinned": "left"},
        {
            "field": "unit_name",
            "headerName": "Đơn vị",
            "width": 200,
            "pinned": "left",
            **FOLDED_SEARCH,
            "cellClass": "unit-link",
        },
        {
            "field": "score_share",
            "headerName": "Điểm 766",
            "width": 120,
            "valueFormatter": {"function": "vnPercent(params.value)"},
            "headerTooltip": "Điểm theo Quyết định 766, tỷ lệ trên điểm tối đa có dữ liệu",
        },
    ]
    for spec in CATALOG:
        if spec.key == "publicity":
            continue
        columns.append(
            {
                "field": spec.key,
                "headerName": spec.name_vi,
                "headerTooltip": spec.definition_vi,
                "width": 150,
                "filter": "agNumberColumnFilter",
                "valueFormatter": {
                    "function": "vnPercent(params.value)"
                    if spec.unit == "%"
                    else "vnCount(params.value)"
                },
                "cellClassRules": {
                    "cell-miss": f"params.data.{spec.key}_status === 'khong_dat'",
                    "cell-hit": f"params.data.{spec.key}_status === 'dat'",
                },
            }
        )
    return dag.AgGrid(
        id={"type": "league-grid", "group": group, "period": period},
        rowData=[_row(r, by) for r in rows],
        columnDefs=columns,
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        getRowId="params.data.unit_ref",
        rowClassRules={"below-target": "params.data.needs_plan || params.data.ranked_miss"},
        dashGridOptions={
            # A fixed height: the header stays in view while 114 rows scroll under it.
            "domLayout": "autoHeight" if len(rows) <= 25 else "normal",
            "pagination": len(rows) > 50,
            "paginationPageSize": 50,
            "tooltipShowDelay": 300,
            "localeText": locale("Không có đơn vị nào"),
        },
        className="league-grid",
        style={"width": "100%", **({} if len(rows) <= 25 else {"height": "72vh"})},
    )
