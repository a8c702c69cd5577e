"""Unit page: period and unit from the URL (?ky=…&ma=…), figures and problem dossiers."""

from __future__ import annotations

from dash import Dash, Input, Output, State

from callbacks import common
from dashboard import entries
from dashboard.pages import page
from dashboard.query import ViewQuery
from layouts import unit as view
from layouts.components.downloads import download_links
from layouts.components.period import how_counted

PARAMS = page("unit").filters


def fill_options(_id: str, search: str | None):
    """Period and unit choices, and the values the URL asks for."""
    q = entries.resolved(ViewQuery.from_url(search))
    options = common.unit_options()
    found = common.resolve_refs([q.unit] if q.unit else [], q.period)
    chosen = found[0] if found else None
    if chosen not in {o["value"] for o in options}:
        chosen = options[0]["value"] if options else None
    return common.period_choices(q.period), q.period, options, chosen


def show(period: str | None, unit: str | None):
    """The unit's figures against the scope's, and its problem dossiers."""
    if not period or not unit:
        return "", ""
    q = ViewQuery(period=period, unit=unit)
    uv = entries.unit(q)
    if uv is None:
        # a unit merged into another, or a period reported on the units formed later: say
        # whose figures hold its dossiers (never for a unit the account may not see)
        where = entries.unit_elsewhere(q)
        if where is not None:
            holders = [
                (u.label, "/don-vi" + ViewQuery(period=period, unit=u.ref).to_url(PARAMS))
                for u in where.holders
            ]
            return view.elsewhere(where.asked, holders, where.formed_later), ""
        return view.unknown_unit(unit), ""
    query = uv.query.to_url(PARAMS)
    chart = view.trends(uv.months, uv.unit.unit.name)
    links = download_links(
        [("Excel", f"/xuat/bang/ho-so.xlsx{query}"), ("CSV", f"/xuat/bang/ho-so.csv{query}")],
        "Tải danh sách hồ sơ:",
    )
    body = view.content(
        uv.unit, uv.parent, uv.period.label, uv.problems, uv.period.end, uv.events, chart
    )
    note = how_counted(entries.how_counted(uv.period.key), "un-how-counted")
    return [note, links, body], query


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("un-period", "options"),
        Output("un-period", "value"),
        Output("un-unit", "options"),
        Output("un-unit", "value"),
        Input("un-period", "id"),
        State("url", "search"),
    )(fill_options)
    app.callback(
        Output("un-content", "children"),
        Output("un-query", "data"),
        Input("un-period", "value"),
        Input("un-unit", "value"),
    )(show)
    common.register_url_writer(app, "un-query", "un-query-sink")
    common.register_range(app, "un")
