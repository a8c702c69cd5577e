"""League page: period, ranking indicator and fields from the URL; one grid per tab."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks import common
from dashboard import access, cache, context, report
from dashboard.filters import from_query
from dashboard.indicators.periods import parse_period
from data_access import queries
from layouts import league as view
from layouts.components.downloads import download_links


def fill_options(_id: str, search: str | None):
    """Choices from the data and the values the URL asks for."""
    engine = context.get().engine
    params = parse_qs((search or "").lstrip("?"))
    period = from_query(search, common.newest_day(engine)).period
    fields = common.field_options(engine)
    known_fields = {o["value"] for o in fields}
    by = (params.get("theo") or [""])[0]
    by = by if by in {o["value"] for o in view.RANK_BY} else ""
    group = (params.get("nhom") or ["xa"])[0]
    return (
        common.period_choices(engine, period),
        period,
        fields,
        [f for f in params.get("linh_vuc", []) if f in known_fields],
        by,
        group if group in report.LEAGUE_GROUPS else "xa",
    )


def show(period: str | None, by: str | None, fields: list[str] | None, group: str | None):
    """The grid for the active tab, and the query string of this view."""
    if not period:
        return "", ""
    engine = context.get().engine
    p = parse_period(period)
    version = queries.data_version(engine)
    rows = cache.league_figures(version, p.key, group or "xa", by or None, tuple(fields or []))
    scope = access.current()
    rows = [r for r in rows if scope.may_see_unit(r.report.unit.id)]  # a unit: its own rank
    pairs = [("ky", period)] + ([("theo", by)] if by else []) + [("nhom", group or "xa")]
    pairs += [("linh_vuc", f) for f in fields or []]
    query = "?" + urlencode(pairs)
    links = download_links(
        [("Excel", f"/xuat/bang/xep-hang.xlsx{query}"), ("CSV", f"/xuat/bang/xep-hang.csv{query}")],
        "Tải bảng xếp hạng:",
    )
    return [links, view.grid(rows, by or None, group or "xa", period)], query


def open_unit(clicks: list[dict | None]):
    """A click on a unit's name opens its page for the same period (kept in the grid's id,
    so nothing outside the grid is read: the callback also fires when the page is left)."""
    cell = next((c for c in clicks or [] if c), None)
    grid = ctx.triggered_id
    if not cell or cell.get("colId") != "unit_name" or not isinstance(grid, dict):
        return no_update
    return "/don-vi?" + urlencode([("ky", grid["period"]), ("ma", cell["rowId"])])


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
