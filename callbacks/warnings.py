"""Cảnh báo page: the day, the units, fields and classes from the URL; counts, outlook, list."""

from __future__ import annotations

from dataclasses import replace

from dash import Dash, Input, Output, State

from callbacks import common
from dashboard.domain.query import ViewQuery
from dashboard.services import figures, officers, warning_view
from dashboard.web.pages import page
from layouts import warnings as view

PARAMS = page("warnings").filters


def fill_options(_id: str, search: str | None):
    """The day (default: the newest of the data), units, fields, classes and days."""
    q = ViewQuery.from_url(search)
    newest = figures.newest_day()
    as_of = q.as_of or (newest.isoformat() if newest else None)
    units, chosen = common.units_of(as_of, list(q.units)) if as_of else ([], [])
    fields = common.field_options()
    known_fields = {o["value"] for o in fields}
    return (
        as_of,
        units,
        chosen,
        fields,
        [f for f in q.fields if f in known_fields],
        list(q.classes),
        q.days if q.days is not None else view.DEFAULT_DAYS,
    )


def show(
    as_of: str | None,
    units: list[str] | None,
    fields: list[str] | None,
    classes: list[str] | None,
    days: int | None,
):
    """Counts, outlook and the list, and the query string of this view."""
    if not as_of:
        return "", ""
    q = ViewQuery.from_url(
        {
            "ngay": [as_of[:10]],
            "don_vi": units or [],
            "linh_vuc": fields or [],
            "loai": classes or [],
            "so_ngay": [str(days)] if days is not None else [],
        }
    )
    wv = warning_view.warnings(q)
    query = wv.query.to_url(PARAMS)
    unit_links = {
        u.unit.id: "/xuat/canh-bao.xlsx" + replace(wv.query, units=(u.unit.ref,)).to_url(PARAMS)
        for u in wv.warnings.units
    }
    body = view.content(
        wv.warnings, wv.shown, wv.outlooks, wv.newest, wv.missing_day, query, unit_links,
        officers.warning_lines(wv),
    )  # fmt: skip
    return body, query


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("cb-as-of", "date"),
        Output("cb-units", "options", allow_duplicate=True),
        Output("cb-units", "value", allow_duplicate=True),
        Output("cb-fields", "options"),
        Output("cb-fields", "value"),
        Output("cb-classes", "value"),
        Output("cb-days", "value"),
        Input("cb-as-of", "id"),
        State("url", "search"),
        prevent_initial_call="initial_duplicate",
    )(fill_options)
    common.register_units_following(app, "cb-units", "cb-as-of", "date")
    app.callback(
        Output("cb-content", "children"),
        Output("cb-query", "data"),
        Input("cb-as-of", "date"),
        Input("cb-units", "value"),
        Input("cb-fields", "value"),
        Input("cb-classes", "value"),
        Input("cb-days", "value"),
    )(show)
    common.register_url_writer(app, "cb-query", "cb-query-sink")
