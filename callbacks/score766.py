"""Điểm 766 page: period and unit from the URL; a component's list on demand."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks import common
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.services import entries, score766_view
from dashboard.web.pages import page
from layouts import score766 as view

PARAMS = page("score766").filters


def fill_options(_id: str, search: str | None):
    """Choices from the data and the values the URL asks for."""
    q = entries.resolved(ViewQuery.from_url(search))
    return (
        common.period_choices(q.period),
        q.period,
        common.unit_options(q.period),
        q.unit or None,
    )


def show(period: str | None, unit: str | None):
    """The score of the unit (or the scope) and the query string of this view."""
    if not period:
        return "", ""
    q = ViewQuery(period=period, unit=unit or "")
    v = score766_view.unit_view(q)
    return view.content(v, parse_period(period).label), q.to_url(PARAMS)


def pick(_clicks: list[int | None]):
    """A click on a lost-points line chooses its component."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(_clicks or []):
        return no_update
    return trig["code"]


def gap(component: str | None, period: str | None, unit: str | None):
    """The dossiers, PAKN or procedures behind the chosen component's lost points."""
    if not component or not period:
        return ""
    q = ViewQuery(period=period, unit=unit or "")
    figures = score766_view.chosen(q)
    return view.gap_table(score766_view.gap_list(q, figures, component))


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("s7-period", "options"),
        Output("s7-period", "value"),
        Output("s7-unit", "options"),
        Output("s7-unit", "value"),
        Input("s7-period", "id"),
        State("url", "search"),
    )(fill_options)
    app.callback(
        Output("s7-content", "children"),
        Output("s7-query", "data"),
        Input("s7-period", "value"),
        Input("s7-unit", "value"),
    )(show)
    app.callback(
        Output("s7-component", "value"),
        Input({"type": "s7-pick", "code": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(pick)
    app.callback(
        Output("s7-gap", "children"),
        Input("s7-component", "value"),
        Input("s7-period", "value"),
        Input("s7-unit", "value"),
    )(gap)
    common.register_url_writer(app, "s7-query", "s7-query-sink")
    common.register_range(app, "s7")
