"""Overview page: filter options, then the scope's figures for the chosen period."""

from __future__ import annotations

from dash import Dash, Input, Output, State

from dashboard import cache, context, report
from dashboard.filters import FilterState, from_query, period_options
from dashboard.formatting import fold, vn_sort_key
from dashboard.indicators.periods import parse_period
from data_access import queries
from layouts import overview as view


def fill_options(_id: str, search: str | None):  # noqa: ANN201
    """Period, unit and field choices from the data, and the values the URL asks for."""
    engine = context.get().engine
    first, last = queries.data_date_range(engine)
    state = from_query(search, last and last.date())
    with engine.connect() as conn:
        units = [u for u in queries.all_units(conn).values() if u.kind in report.RECEIVING_KINDS]
        fields = sorted(queries.fields(conn).values(), key=vn_sort_key)
    unit_options = [
        {"label": f"{u.name} ({u.code})", "value": u.code, "search": f"{fold(u.name)} {u.code}"}
        for u in sorted(units, key=lambda u: (u.kind == "department", vn_sort_key(u.name)))
    ]
    field_options = [{"label": f, "value": f, "search": fold(f)} for f in fields]
    periods = period_options(first and first.date(), last and last.date())
    if state.period not in {p["value"] for p in periods}:
        periods.insert(0, {"label": parse_period(state.period).label, "value": state.period})
    known_units = {o["value"] for o in unit_options}
    known_fields = {o["value"] for o in field_options}
    return (
        periods,
        state.period,
        unit_options,
        [u for u in state.units if u in known_units],
        field_options,
        [f for f in state.fields if f in known_fields],
    )


def show(period: str | None, units: list[str] | None, fields: list[str] | None):  # noqa: ANN201
    """The figures, and the query string that reproduces this view."""
    if not period:
        return "", ""
    engine = context.get().engine
    p = parse_period(period)
    version = queries.data_version(engine)
    key = (tuple(units or []), tuple(fields or []))
    now = cache.scope_figures(version, p.key, *key)
    before = cache.scope_figures(version, p.previous().key, *key)
    _first, newest = queries.data_date_range(engine)
    state = FilterState(p.key, tuple(units or []), tuple(fields or []))
    return view.content(now, before, p.label, newest), state.query()


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
    # Write the view into the address bar without reloading or re-routing the page.
    app.clientside_callback(
        "function (q) { if (q && q !== window.location.search) {"
        " window.history.replaceState(null, '', window.location.pathname + q); } return ''; }",
        Output("ov-query-sink", "children"),
        Input("ov-query", "data"),
    )
