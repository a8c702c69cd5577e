"""Điểm 766: a unit's (or the scope's) score out of 100 by component, each with the file its
figures come from, the points lost and why, and the items behind a chosen component."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.formatting import fmt_int, fmt_number, fmt_percent
from dashboard.domain.score766 import COMPONENTS, capped_groups
from dashboard.services.score766_rows import TOTAL
from dashboard.services.score766_view import TIMES, GapList, ScoreView
from layouts.components.dropdown import dropdown
from layouts.components.period import period_picker

COMPONENT_OPTIONS = [{"label": f"{c.code} {c.name}", "value": c.code} for c in COMPONENTS] + [
    {"label": "Thời gian giải quyết trung bình theo thủ tục", "value": TIMES}
]
ESTIMATE_NOTE = (
    "Điểm ước tính theo công thức Cổng DVC quốc gia đã được đối chiếu công khai; thành phần "
    "ghi «ước tính» dùng công thức chưa được xác nhận hoặc cách đọc quy định của phần mềm."
)


def layout(**_query: str) -> html.Div:
    """Filters and the content; filled by callbacks."""
    return html.Div(
        [
            dcc.Store(id="s7-query"),
            html.Div(id="s7-query-sink", hidden=True),
            dbc.Row(
                [
                    period_picker("s7"),
                    dbc.Col(
                        [
                            dbc.Label("Đơn vị", html_for="s7-unit"),
                            dropdown(id="s7-unit", placeholder="Toàn phạm vi theo dõi"),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Xem danh sách của thành phần", html_for="s7-component"),
                            dropdown(id="s7-component", options=COMPONENT_OPTIONS),
                        ],
                        md=5,
                    ),
                ],
                className="g-3 mb-3 filter-bar",
            ),
            html.Div(id="s7-notice"),
            dcc.Loading(html.Div(id="s7-content")),
            dcc.Loading(html.Div(id="s7-gap")),
            dcc.Store(id="s7-scroll"),
            html.Div(id="s7-scroll-sink", hidden=True),
        ]
    )


def _loss(r: dict) -> str:
    return f"mất {fmt_number(r['lost'])} điểm ở {r['thanh_phan'][4:]}: {r['shortfall']}"


def _points(v: float | None) -> str:
    return "—" if v is None else fmt_number(v)


def content(view: ScoreView, period_label: str) -> list:
    """The headline, the 766 and directive on-time figures, and the component table."""
    rep = view.report
    s = rep.score
    total = (
        "chưa có dữ liệu"
        if s.points is None
        else f"{fmt_number(s.points)}/{fmt_number(s.max_supported, 0)} điểm"
    )
    lines = [
        html.H1(f"Điểm 766 · {rep.unit.name} · {period_label}", className="h4"),
        html.P(
            [
                html.Strong(total),
                " · ",
                next(r["nguon"] for r in view.rows if r["thanh_phan"] == TOTAL),
            ],
            id="s7-total",
        ),
        html.P(
            f"Tỷ lệ đúng hạn theo chỉ thị: {fmt_percent(view.on_time_directive)}; theo Bộ chỉ "
            f"số 766 (hồ sơ yêu cầu bổ sung quá 1 lần tính trễ hạn): "
            f"{fmt_percent(view.on_time_766)} ({fmt_int(view.late_by_supplements)} hồ sơ "
            "đúng hạn nhưng bổ sung quá 1 lần).",
            id="s7-on-time",
        ),
        html.P(ESTIMATE_NOTE, className="text-muted small"),
    ]
    gaps = sorted((r for r in view.rows if r["lost"] and r["shortfall"]), key=lambda r: -r["lost"])[
        :5
    ]
    if gaps:
        lines.append(
            html.Ul(
                [
                    html.Li(
                        html.A(
                            _loss(r),
                            href="#s7-gap",  # the list fills in there: the browser goes to it
                            id={"type": "s7-pick", "code": r["code"]},
                        )
                        if view.may_list
                        else _loss(r)
                    )
                    for r in gaps
                ],
                id="s7-gaps",
            )
        )
    head = ["Nhóm", "Thành phần", "Điểm", "Tối đa", "Mất", "Vì sao", "Nguồn"]
    body = [
        html.Tr(
            [
                html.Td(r["nhom"]),
                html.Td(r["thanh_phan"], className="fw-bold" if r["thanh_phan"] == TOTAL else ""),
                html.Td(_points(r["diem"]), className="text-end"),
                html.Td(fmt_number(r["diem_toi_da"]), className="text-end"),
                html.Td(_points(r["lost"]), className="text-end"),
                html.Td(r["shortfall"]),
                html.Td(r["nguon"], className="small"),
            ],
            className="table-warning" if r["diem"] is None else "",
        )
        for r in view.rows
    ]
    lines.append(
        dbc.Table(
            [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
            bordered=True,
            hover=True,
            size="sm",
            responsive=True,
            id="s7-table",
        )
    )
    caps = "; ".join(
        f"nhóm «{name}» tối đa {fmt_number(cap, 0)} điểm dù các thành phần cộng lại "
        f"{fmt_number(total)}"
        for name, cap, total in capped_groups()
    )
    lines.append(
        html.P(
            "Điểm từng thành phần làm tròn đến 0,01; tổng cộng các điểm chưa làm tròn nên có thể "
            f"lệch 0,01 so với cộng cột Điểm. Theo Bộ chỉ số, {caps}; cột «Mất» là số điểm lấy "
            "lại được khi thành phần đạt tối đa, trong giới hạn của nhóm.",
            className="text-muted small",
            id="s7-table-note",
        )
    )
    return lines


def gap_table(gap: GapList) -> list:
    """The items behind a component's lost points."""
    if not gap.header:
        return [html.P(gap.note, className="text-muted", id="s7-gap-note")]
    shown = len(gap.rows)
    more = f" (hiện {fmt_int(shown)} dòng đầu)" if shown < gap.total else ""
    return [
        html.H2(f"{gap.title}: {fmt_int(gap.total)} mục{more}", className="h5 mt-3"),
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th(h) for h in gap.header])),
                html.Tbody([html.Tr([html.Td(c) for c in row]) for row in gap.rows]),
            ],
            bordered=True,
            size="sm",
            responsive=True,
            id="s7-gap-table",
        ),
    ]
