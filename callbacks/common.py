"""Pieces every filtered page uses: choices from the data, and the view written to the URL."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output
from sqlalchemy import Engine

from dashboard import report
from dashboard.filters import period_options
from dashboard.formatting import fold, vn_sort_key
from dashboard.indicators.periods import parse_period
from data_access import queries


def unit_options(engine: Engine) -> list[dict[str, str]]:
    """Receiving units, communes first then departments, in Vietnamese order; searchable
    without diacritics ("dong lac" finds Đồng Lạc) and by code."""
    with engine.connect() as conn:
        units = [u for u in queries.all_units(conn).values() if u.kind in report.RECEIVING_KINDS]
    return [
        {"label": f"{u.name} ({u.code})", "value": u.code, "search": f"{fold(u.name)} {u.code}"}
        for u in sorted(units, key=lambda u: (u.kind == "department", vn_sort_key(u.name)))
    ]


def field_options(engine: Engine) -> list[dict[str, str]]:
    """Fields in Vietnamese order, searchable without diacritics."""
    with engine.connect() as conn:
        names = sorted(queries.fields(conn).values(), key=vn_sort_key)
    return [{"label": f, "value": f, "search": fold(f)} for f in names]


def period_choices(engine: Engine, wanted: str) -> list[dict[str, str]]:
    """Named periods of the data, with `wanted` added when it is not one of them."""
    first, last = queries.data_date_range(engine)
    periods = period_options(first and first.date(), last and last.date())
    if wanted not in {p["value"] for p in periods}:
        periods.insert(0, {"label": parse_period(wanted).label, "value": wanted})
    return periods


def newest_day(engine: Engine) -> dt.date | None:
    """The newest reception day in the data."""
    _first, last = queries.data_date_range(engine)
    return last and last.date()


def register_url_writer(app: Dash, store_id: str, sink_id: str) -> None:
    """Write a page's query string (kept in `store_id`) into the address bar without
    reloading or re-routing the page, so the view can be bookmarked and shared."""
    app.clientside_callback(
        "function (q) { if (q && q !== window.location.search) {"
        " window.history.replaceState(null, '', window.location.pathname + q); } return ''; }",
        Output(sink_id, "children"),
        Input(store_id, "data"),
    )
