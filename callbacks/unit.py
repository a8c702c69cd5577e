"""Unit page: period and unit from the URL (?ky=…&ma=…), figures and problem dossiers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import Dash, Input, Output, State

from dashboard import context, report
from dashboard.filters import from_query, period_options
from dashboard.formatting import fold, vn_sort_key
from dashboard.indicators.periods import parse_period
from data_access import queries
from layouts import unit as view


def fill_options(_id: str, search: str | None):  # noqa: ANN201
    """Period and unit choices, and the values the URL asks for."""
    engine = context.get().engine
    first, last = queries.data_date_range(engine)
    state = from_query(search, last and last.date())
    periods = period_options(first and first.date(), last and last.date())
    if state.period not in {p["value"] for p in periods}:
        periods.insert(0, {"label": parse_period(state.period).label, "value": state.period})
    with engine.connect() as conn:
        units = [u for u in queries.all_units(conn).values() if u.kind in report.RECEIVING_KINDS]
    options = [
        {"label": f"{u.name} ({u.code})", "value": u.code, "search": f"{fold(u.name)} {u.code}"}
        for u in sorted(units, key=lambda u: (u.kind == "department", vn_sort_key(u.name)))
    ]
    chosen = (parse_qs((search or "").lstrip("?")).get("ma") or [None])[0]
    if chosen not in {o["value"] for o in options}:
        chosen = options[0]["value"] if options else None
    return periods, state.period, options, chosen


def show(period: str | None, unit: str | None):  # noqa: ANN201
    """The unit's figures against the district's, and its problem dossiers."""
    if not period or not unit:
        return "", ""
    engine = context.get().engine
    p = parse_period(period)
    rep = report.compute(engine, p, [unit])
    problems = queries.problem_dossiers(engine, [unit], p.start, p.end)
    query = "?" + urlencode([("ky", p.key), ("ma", unit)])
    return view.content(rep.units[0], rep.parent, p.label, problems, p.end), query


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
    app.clientside_callback(
        "function (q) { if (q && q !== window.location.search) {"
        " window.history.replaceState(null, '', window.location.pathname + q); } return ''; }",
        Output("un-query-sink", "children"),
        Input("un-query", "data"),
    )
