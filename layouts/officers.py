"""The unit page's tab "Cán bộ và bước xử lý": the officer figures (per officer, step kind or
department), the chart of where the overdue dossiers were held, and the dossiers behind a
clicked number with each one's step timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.domain.formatting import fmt_datetime, fmt_int, fmt_number, fmt_percent
from dashboard.domain.officer_rows import BY_LABELS, OfficerRow
from dashboard.domain.officer_targets import MEASURES as TARGET_MEASURES
from dashboard.domain.steps import KINDS
from dashboard.exports import officers as files
from data_access.officer_dossiers import LIMIT, DossierTimeline
from layouts.components.grid_locale import locale

# The numbers a click opens, and what the list is called.
CLICKABLE = {
    "handled": "hồ sơ đã tham gia",
    "overdue": "hồ sơ quá hạn do bước của mình",
    "late_steps": "hồ sơ có bước trễ hạn",
    "open_steps": "hồ sơ có bước đang mở",
}
UNKNOWN_ROW = "-"  # the grid's id of the "chưa rõ bước" row (its member is "")
BY_CHOICES = [{"label": label, "value": key} for key, label in BY_LABELS.items()]


def tab(by_choices: Sequence[dict] = tuple(BY_CHOICES)) -> html.Div:
    """The tab's frame: the grouping, then what the callbacks fill."""
    return html.Div(
        [
            dbc.RadioItems(
                id="un-off-by",
                options=list(by_choices),
                value=by_choices[0]["value"],
                inline=True,
                className="mb-2",
            ),
            dcc.Store(id="un-off-query"),
            dcc.Loading(html.Div(id="un-off-table")),
            html.Div(id="un-off-detail", className="mt-3"),
            html.Div(id="un-off-chart-box", className="mt-3"),
        ],
        className="pt-3",
    )


def table(
    rows: Sequence[OfficerRow],
    by: str,
    links: html.Div,
    note: str = "",
    judged: Mapping[tuple[int, str], Sequence[Any]] | None = None,
) -> html.Div:
    """The sortable table (every count opens its dossiers), with each row's targets."""
    columns = []
    for col in files.columns(by):
        if col.key == "unit":
            continue
        spec: dict = {"field": col.key, "headerName": col.header, "wrapHeaderText": True,
                      "autoHeaderHeight": True}  # fmt: skip
        if col.kind == "text":
            spec |= {"flex": 1, "minWidth": 180}
        else:
            spec |= {"width": 130, "type": "numericColumn"}
            if col.key in CLICKABLE:
                spec["cellClass"] = ["ag-right-aligned-cell", "num-link"]
            # shown as the screen writes it (1.033; 0,25; 87,03 %), sorted by the number
            spec["valueFormatter"] = {"function": f"params.data.{col.key}_text"}
        columns.append(spec)
    data = _with_texts(files.table_rows(rows), by)
    if judged:
        for row, r in zip(data, rows, strict=True):
            row["targets"] = files.judged_text(judged.get((r.unit_id, r.member), ()))
        columns.append({"field": "targets", "headerName": "Chỉ tiêu được giao", "minWidth": 260,
                        "flex": 1, "wrapText": True, "autoHeight": True})  # fmt: skip
    grid = dag.AgGrid(
        id="un-off-grid",
        rowData=data,
        columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True},
        dashGridOptions={
            "domLayout": "autoHeight",
            "localeText": locale("Chưa có quá trình xử lý của hồ sơ nào trong kỳ"),
        },
        getRowId="params.data.row_id",
        className="officer-grid",
        style={"width": "100%"},
    )
    parts: list = [links]
    if note:
        parts.append(html.P(note, className="small text-muted"))
    parts += [
        html.P(
            "Bấm vào một số để xem các hồ sơ và từng bước xử lý của chúng.",
            className="small text-muted mb-1",
        ),
        grid,
    ]
    return html.Div(parts)


def with_medians(rows: list[dict], hours: Mapping[str, float]) -> list[dict]:
    """The table's rows with the medians filled in (by member; none: a dash)."""
    for row in rows:
        h = hours.get(row["member"])
        row["median_hours"] = h
        row["median_hours_text"] = fmt_number(h)
    return rows


def _with_texts(rows: list[dict], by: str) -> list[dict]:
    for row in rows:
        row["row_id"] = row["member"] or UNKNOWN_ROW
        for key in ("handled", "overdue", "late_steps", "open_steps"):
            row[f"{key}_text"] = fmt_int(row[key])
        row["online_submitted_text"] = (
            fmt_int(row["online_submitted"]) if row["online_submitted"] else ""
        )
        # "…" until the medians arrive (a pass over the period's steps, after the counts)
        row["median_hours_text"] = (
            fmt_number(row["median_hours"]) if row["median_hours"] is not None else "…"
        )
        row["online_rate_text"] = fmt_percent(row["online_rate"])
    return rows


def held_chart(rows: Sequence[OfficerRow], by: str) -> dcc.Graph | None:
    """Where the overdue dossiers were held when they went late (and the late steps)."""
    shown = [r for r in rows if r.overdue or r.late_steps][:15]
    if not shown:
        return None
    names = [r.name for r in shown][::-1]
    fig = go.Figure(
        [
            go.Bar(
                y=names,
                x=[r.overdue for r in shown][::-1],
                name="Hồ sơ quá hạn",
                orientation="h",
                marker_color="#d95f02",
            ),  # fmt: skip
            go.Bar(
                y=names,
                x=[r.late_steps for r in shown][::-1],
                name="Bước trễ hạn",
                orientation="h",
                marker_color="#7570b3",
            ),  # fmt: skip
        ]
    )
    fig.update_layout(
        title=f"Hồ sơ quá hạn và bước trễ hạn theo {BY_LABELS[by].lower()}",
        barmode="group",
        height=140 + 36 * len(shown),
        margin={"l": 10, "r": 10, "t": 50, "b": 30},
        legend={"orientation": "h", "y": -0.15},
        separators=",.",
    )
    fig.update_yaxes(automargin=True)
    return dcc.Graph(figure=fig, id="un-off-chart", config={"displaylogo": False})


def target_form(rows: Sequence[OfficerRow]) -> dbc.Card:
    """The "Giao chỉ tiêu" form: for the office, or the unit's leadership for its own unit."""
    whom = [{"label": "Mọi cán bộ của đơn vị", "value": "*"}]
    whom += [{"label": f"Bước: {label}", "value": f"k:{key}"} for key, label in KINDS.items()]
    whom += [{"label": r.name, "value": f"o:{r.member}"} for r in rows
             if not r.unknown and r.member.isdigit()]  # fmt: skip
    measures = [{"label": name, "value": key} for key, (name, _way) in TARGET_MEASURES.items()]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Giao chỉ tiêu cho cán bộ", className="h6"),
                dbc.Row(
                    [
                        _field(
                            "Chỉ tiêu",
                            dbc.Select(id="un-off-t-measure", options=measures, value="overdue"),
                            3,
                        ),
                        _field(
                            "Giá trị (số hồ sơ, hoặc %)",
                            dbc.Input(id="un-off-t-value", placeholder="0 hoặc 95%"),
                            2,
                        ),
                        _field(
                            "Áp dụng cho",
                            dbc.Select(id="un-off-t-whom", options=whom, value="*"),
                            3,
                        ),
                        _field(
                            "Từ ngày (dd/mm/yyyy)",
                            dbc.Input(id="un-off-t-from", placeholder="01/07/2025"),
                            2,
                        ),
                        _field("Văn bản giao", dbc.Input(id="un-off-t-source"), 2),
                    ],  # fmt: skip
                    className="g-2",
                ),
                dbc.Button("Giao chỉ tiêu", id="un-off-t-save", color="primary", className="mt-2"),
                html.Div(id="un-off-t-result", className="mt-2"),
            ]
        ),
        className="mt-3",
    )


def _field(label: str, control: Any, width: int) -> dbc.Col:
    """A labelled control of the target form."""
    return dbc.Col([dbc.Label(label, html_for=control.id), control], md=width)


def late_days_chart(days: Sequence[tuple[str, float]], by: str) -> dcc.Graph | None:
    """Where the late days were spent: per member, the days between the overdue dossiers'
    due day and their end during which the member's step was running."""
    shown = list(days)[:15]
    if not shown:
        return None
    fig = go.Figure(
        go.Bar(
            y=[n for n, _ in shown][::-1],
            x=[round(d, 1) for _, d in shown][::-1],
            orientation="h",
            marker_color="#d95f02",
            hovertemplate="%{y}: %{x:.1f} ngày<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Số ngày trễ hạn nằm ở bước của {BY_LABELS[by].lower()} (ngày lịch)",
        height=120 + 32 * len(shown),
        margin={"l": 10, "r": 10, "t": 50, "b": 30},
        separators=",.",
    )
    fig.update_yaxes(automargin=True)
    return dcc.Graph(figure=fig, id="un-off-late-days", config={"displaylogo": False})


def detail(name: str, measure: str, total: int, dossiers: Sequence[DossierTimeline]) -> html.Div:
    """The dossiers behind one number, each with its timeline."""
    head = f"{name}: {fmt_int(total)} {CLICKABLE[measure]}"
    parts: list = [html.H3(head, className="h6", id="un-off-detail-title")]
    if total > len(dossiers):
        parts.append(html.P(f"Hiện {fmt_int(LIMIT)} hồ sơ có hạn sớm nhất.", className="small"))
    parts += [timeline(d) for d in dossiers]
    return html.Div(parts)


def timeline(d: DossierTimeline) -> dbc.Card:
    """One dossier's steps in the order they ran; the step that held it at the end of its
    due day and the late steps marked in words, not only colour."""
    head = html.Tr([html.Th(h) for h in ("Bước", "Cán bộ", "Phòng ban", "Bắt đầu", "Kết thúc",
                                         "Hạn của bước", "Giờ làm việc", "Ghi chú")])  # fmt: skip
    lines = []
    for s in d.steps:
        marks = []
        if s.responsible:
            marks.append("giữ hồ sơ khi quá hạn")
        if s.late or (s.end is None and s.deadline is not None):
            marks.append("trễ hạn bước" if s.late else "đang mở")
        elif s.end is None:
            marks.append("đang mở")
        lines.append(
            html.Tr(
                [
                    html.Td(KINDS.get(s.kind, s.kind), title=s.content),
                    html.Td(s.officer, title=s.title),
                    html.Td(s.department),
                    html.Td(fmt_datetime(s.start)),
                    html.Td(fmt_datetime(s.end) if s.end else "—"),
                    html.Td(fmt_datetime(s.deadline) if s.deadline else ""),
                    html.Td(fmt_number(s.work_minutes / 60) if s.work_minutes is not None else ""),
                    html.Td(", ".join(marks)),
                ],
                className="step-held" if s.responsible else None,
            )
        )
    body = (
        dbc.Table([html.Thead(head), html.Tbody(lines)], size="sm", className="mb-0 step-table")
        if lines
        else html.P("Không có quá trình xử lý (chưa rõ bước).", className="small mb-0")
    )
    outcome = f"có kết quả {fmt_datetime(d.finished)}" if d.finished else d.status
    title = (
        f"{d.code} · {d.procedure} · tiếp nhận {fmt_datetime(d.received)} · hẹn trả "
        f"{fmt_datetime(d.due)} · {outcome}"
    )
    return dbc.Card(
        [dbc.CardHeader(title, className="small"), dbc.CardBody(body, className="p-2")],
        className="mb-2 dossier-timeline",
    )
