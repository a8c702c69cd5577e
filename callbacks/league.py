"""League page: period, ranking indicator and fields from the URL; one grid per tab."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from callbacks import common
from dashboard.domain.query import ViewQuery
from dashboard.services import entries
from dashboard.web.pages import page
from layouts import league as view
from layouts.components.downloads import download_links
from layouts.components.period import how_counted

PARAMS = page("league").filters


def fill_options(_id: str, search: str | None):
    """Choices from the data and the values the URL asks for."""
    q = entries.resolved(ViewQuery.from_url(search))
    fields = common.field_options()
    known_fields = {o["value"] for o in fields}
    return (
        common.period_choices(q.period),
        q.period,
        fields,
        [f for f in q.fields if f in known_fields],
        q.by,
        q.group,
    )


def show(period: str | None, by: str | None, fields: list[str] | None, group: str | None):
    """The grid for the active tab, and the query string of this view."""
    if not period:
        return "", ""
    q = ViewQuery.from_url(
        {"ky": [period], "theo": [by or ""], "nhom": [group or ""], "linh_vuc": fields or []}
    )
    rows = entries.league(q)
    query = q.to_url(PARAMS)
    links = download_links(
        [("Excel", f"/xuat/bang/xep-hang.xlsx{query}"), ("CSV", f"/xuat/bang/xep-hang.csv{query}")],
        "Tải bảng xếp hạng:",
    )
    note = how_counted(entries.how_counted(q.period), "lg-how-counted")
    if not rows and q.group == "phong":
        # after 1/7/2025 a scope of communes has no district departments to rank
        body = html.P(
            "Phạm vi theo dõi của kỳ này không có phòng chuyên môn.",
            className="text-muted league-none",
        )
        return [note, body], query  # nothing to download either
    return [note, links, view.grid(rows, q.by or None, q.group, q.period)], query


def open_unit(clicks: list[dict | None]):
    """A click on a unit's name opens its page for the same period (kept in the grid's id,
    so nothing outside the grid is read: the callback also fires when the page is left)."""
    cell = next((c for c in clicks or [] if c), None)
    grid = ctx.triggered_id
    if not cell or cell.get("colId") != "unit_name" or not isinstance(grid, dict):
        return no_update
    q = ViewQuery(period=grid["period"], unit=str(cell["rowId"]))
    return "/don-vi" + q.to_url(page("unit").filters)


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("lg-period", "options"),
        Output("lg-period", "value"),
        Output("lg-fields", "options"),
        Output("lg-fields", "value"),
        Output("lg-by", "value"),
        Output("lg-group", "active_tab"),
        Input("lg-period", "id"),
        State("url", "search"),
    )(fill_options)
    app.callback(
        Output("lg-content", "children"),
        Output("lg-query", "data"),
        Input("lg-period", "value"),
        Input("lg-by", "value"),
        Input("lg-fields", "value"),
        Input("lg-group", "active_tab"),
    )(show)
    app.callback(
        Output("url", "href"),
        Input({"type": "league-grid", "group": ALL, "period": ALL}, "cellClicked"),
        prevent_initial_call=True,
    )(open_unit)
    common.register_url_writer(app, "lg-query", "lg-query-sink")
    common.register_range(app, "lg")
