"""Overview page: filter options, then the scope's figures for the chosen period."""

from __future__ import annotations

from dash import Dash, Input, Output, State

from callbacks import common
from dashboard import access, cache, context, trends
from dashboard.filters import FilterState, from_query
from dashboard.indicators.periods import parse_period
from data_access import queries
from layouts import overview as view


def fill_options(_id: str, search: str | None):
    """Period, unit and field choices from the data, and the values the URL asks for."""
    engine = context.get().engine
    state = from_query(search, common.newest_day(engine))
    units, fields = common.unit_options(engine), common.field_options(engine)
    known_units = {o["value"] for o in units}
    known_fields = {o["value"] for o in fields}
    return (
        common.period_choices(engine, state.period),
        state.period,
        units,
        [
            u
            for u in common.resolve_refs(engine, list(state.units), state.period)
            if u in known_units
        ],
        fields,
        [f for f in state.fields if f in known_fields],
    )


def show(period: str | None, units: list[str] | None, fields: list[str] | None):
    """The figures, and the query string that reproduces this view."""
    if not period:
        return "", ""
    engine = context.get().engine
    p = parse_period(period)
    version = queries.data_version(engine)
    units = list(access.current().units(units or []))  # a unit account: itself or the district
    key = (tuple(units), tuple(fields or []))
    now = cache.scope_figures(version, p.key, *key)
    # The previous period on this period's units (after a merger: the predecessors' sum).
    before = cache.scope_figures(version, p.previous().key, *key, trends.anchor(p.previous(), p))
    first, newest = cache.data_range(engine)
    series = trends.scope_series(version, p, first and first.date(), *key)
    state = FilterState(p.key, tuple(units or []), tuple(fields or []))
    query = state.query()
    note = cache.scope().how_counted(p)
    return view.content(now, before, p.label, newest, series, query, note), query


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("ov-period", "options"),
        Output("ov-period", "value"),
        Output("ov-units", "options"),
        Output("ov-units", "value"),
        Output("ov-fields", "options"),
        Output("ov-fields", "value"),
        Input("ov-period", "id"),
        State("url", "search"),
    )(fill_options)
    app.callback(
        Output("ov-content", "children"),
        Output("ov-query", "data"),
        Input("ov-period", "value"),
        Input("ov-units", "value"),
        Input("ov-fields", "value"),
    )(show)
    common.register_url_writer(app, "ov-query", "ov-query-sink")
    common.register_range(app, "ov")
