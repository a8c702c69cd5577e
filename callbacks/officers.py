"""The unit page's tab "Cán bộ và bước xử lý": the officer table for the page's period and
unit, and the dossiers behind a clicked number (dashboard/services/officers.py decides who
may see what; a forged request gets the same refusal as the page)."""

from __future__ import annotations

import time

from dash import Dash, Input, Output, State, html, no_update

from dashboard.domain.formatting import parse_day
from dashboard.domain.officer_targets import parse_value
from dashboard.domain.query import ViewQuery
from dashboard.services import officers, viewer
from dashboard.services.report import ScopeError
from layouts import officers as view
from layouts.components.downloads import download_links


def by_choices(_tab_id: str):
    """The groupings the account may use (officers by name only where allowed)."""
    if officers.names_allowed(viewer.current()):
        return view.BY_CHOICES, "officer"
    kinds = [c for c in view.BY_CHOICES if c["value"] != "officer"]
    return kinds, "kind"


def show(period: str | None, unit: str | None, by: str | None, active: str | None):
    """The table when the tab is open (the page's first view stays as fast as before)."""
    if active != "un-tab-officers" or not period or not unit or not by:
        return no_update, no_update, no_update, no_update
    q = ViewQuery(period=period, unit=unit)
    try:
        got = officers.officers(q, by, medians=False)  # the counts first: a few ms
    except (officers.NotAllowed, ScopeError) as exc:
        return html.P(str(exc), className="text-muted"), "", "", None
    query = f"?ky={period}&ma={unit}&theo={by}"
    links = download_links(
        [("Excel", f"/xuat/can-bo.xlsx{query}"), ("CSV", f"/xuat/can-bo.csv{query}")],
        "Tải bảng này:",
    )
    # A new table: the dossiers opened from the old one are gone with it.
    table = view.table(got.rows, by, links, judged=got.judged)
    if officers.may_set_targets(viewer.current()):
        table = html.Div([table, view.target_form(got.rows)])
    # A new value each time: the medians follow every table drawn, even the same one again.
    asked = {"period": period, "unit": unit, "by": by, "drawn": time.time()}
    charts = [view.held_chart(got.rows, by), view.late_days_chart(officers.late_days(q, by), by)]
    return table, "", [c for c in charts if c is not None], asked


def fill_medians(asked: dict | None, rows: list | None):
    """The median working hours, once the counts are on screen."""
    if not asked or not rows:
        return no_update
    q = ViewQuery(period=asked["period"], unit=asked["unit"])
    try:
        got = officers.officers(q, asked["by"])
    except (officers.NotAllowed, ScopeError):
        return no_update
    hours = {r.member: r.median_hours for r in got.rows if r.median_hours is not None}
    return view.with_medians(rows, hours)


def save_target(_n, period, unit, measure, value, whom, start, source):
    """Give the target the form describes (the service checks who may, for which unit)."""
    if not period or not unit:
        return no_update
    try:
        number = parse_value(value or "")
        day = parse_day(start or "01/07/2025", "Từ ngày")
        officer = whom[2:] if whom and whom.startswith("o:") else None
        kind = whom[2:] if whom and whom.startswith("k:") else None
        done = officers.set_target(
            ViewQuery(period=period, unit=unit), measure, number, day, officer, kind, source or ""
        )
    except (officers.NotAllowed, ScopeError, ValueError) as exc:
        return html.P(str(exc), className="text-danger")
    return html.P(done + " Bảng được tính lại khi mở lại thẻ.", className="text-success")


def open_dossiers(
    cell: dict | None, period: str | None, unit: str | None, by: str | None, rows: list | None
):
    """The dossiers behind the clicked number, with their timelines."""
    if not cell or not period or not unit or not by:
        return no_update
    measure = cell.get("colId")
    if measure not in view.CLICKABLE:
        return no_update
    row_id = str(cell.get("rowId") or "")
    member = "" if row_id == view.UNKNOWN_ROW else row_id
    try:
        found = officers.member_dossiers(ViewQuery(period=period, unit=unit), by, member, measure)
    except (officers.NotAllowed, ScopeError, ValueError) as exc:
        return html.P(str(exc), className="text-muted")
    name = next((r.get("name", "") for r in rows or () if r.get("row_id") == row_id), member)
    return view.detail(name, measure, found.total, found.dossiers)


def register(app: Dash) -> None:
    """Attach the tab's callbacks to `app`."""
    app.callback(
        Output("un-off-by", "options"),
        Output("un-off-by", "value"),
        Input("un-off-by", "id"),
    )(by_choices)
    app.callback(
        Output("un-off-table", "children"),
        Output("un-off-detail", "children", allow_duplicate=True),
        Output("un-off-chart-box", "children"),
        Output("un-off-query", "data"),
        Input("un-period", "value"),
        Input("un-unit", "value"),
        Input("un-off-by", "value"),
        Input("un-tabs", "active_tab"),
        prevent_initial_call="initial_duplicate",
    )(show)
    app.callback(
        Output("un-off-t-result", "children"),
        Input("un-off-t-save", "n_clicks"),
        State("un-period", "value"),
        State("un-unit", "value"),
        State("un-off-t-measure", "value"),
        State("un-off-t-value", "value"),
        State("un-off-t-whom", "value"),
        State("un-off-t-from", "value"),
        State("un-off-t-source", "value"),
        prevent_initial_call=True,
    )(save_target)
    app.callback(
        Output("un-off-grid", "rowData"),
        Input("un-off-query", "data"),
        State("un-off-grid", "rowData"),
        prevent_initial_call=True,
    )(fill_medians)
    app.callback(
        Output("un-off-detail", "children"),
        Input("un-off-grid", "cellClicked"),
        State("un-period", "value"),
        State("un-unit", "value"),
        State("un-off-by", "value"),
        State("un-off-grid", "rowData"),
        prevent_initial_call=True,
    )(open_dossiers)
