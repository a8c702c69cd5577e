"""Unit page: period and unit from the URL (?ky=…&ma=…), figures and problem dossiers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import Dash, Input, Output, State

from callbacks import common
from dashboard import access, cache, context, trends
from dashboard.filters import from_query
from dashboard.indicators.periods import parse_period
from data_access import explanations, queries
from layouts import unit as view
from layouts.components.downloads import download_links


def fill_options(_id: str, search: str | None):
    """Period and unit choices, and the values the URL asks for."""
    engine = context.get().engine
    state = from_query(search, common.newest_day(engine))
    options = common.unit_options(engine)
    wanted = parse_qs((search or "").lstrip("?")).get("ma") or []
    found = common.resolve_refs(engine, wanted[:1], state.period)
    chosen = found[0] if found else None
    if chosen not in {o["value"] for o in options}:
        chosen = options[0]["value"] if options else None
    return common.period_choices(engine, state.period), state.period, options, chosen


def show(period: str | None, unit: str | None):
    """The unit's figures against the district's, and its problem dossiers."""
    if not period or not unit:
        return "", ""
    engine = context.get().engine
    p = parse_period(period)
    version = queries.data_version(engine)
    rep = cache.district_figures(version, p.key)
    mine = rep.find(unit)
    if mine is None or not access.current().may_see_unit(mine.unit.id):
        # Another unit's page for a unit account: nothing, as for a bad code.
        return view.unknown_unit(unit), ""
    problems = cache.problem_dossiers(version, mine.unit.id, p.key)
    with engine.connect() as conn:
        events = explanations.history(conn, mine.unit.id)
    first, _newest = cache.data_range(engine)
    months = trends.unit_series(version, p, first and first.date(), mine.unit.id)
    query = "?" + urlencode([("ky", p.key), ("ma", mine.unit.ref)])
    chart = view.trends(months, mine.unit.name)
    links = download_links(
        [("Excel", f"/xuat/bang/ho-so.xlsx{query}"), ("CSV", f"/xuat/bang/ho-so.csv{query}")],
        "Tải danh sách hồ sơ:",
    )
    body = view.content(mine, rep.parent, p.label, problems, p.end, events, chart)
    return [links, body], query


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
