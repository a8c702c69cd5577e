"""Pieces every filtered page uses: choices from the data, and the view written to the URL."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output, State, ctx, no_update

from dashboard import access, context, figures
from dashboard.filters import period_options, preset_options
from dashboard.formatting import vn_sort_key
from dashboard.indicators import clock
from dashboard.indicators.periods import parse_period
from dashboard.indicators.units import RECEIVING_KINDS
from data_access import queries
from layouts.components.dropdown import searchable


def unit_options() -> list[dict[str, str]]:
    """Receiving units, communes first then departments, in Vietnamese order; searchable
    without diacritics ("dong lac" finds Đồng Lạc) and by code. A unit account sees its own."""
    scope = access.current()
    with context.get().engine.connect() as conn:
        units = [
            u
            for u in queries.all_units(conn).values()
            if u.kind in RECEIVING_KINDS and scope.may_see_unit(u.id)
        ]
    ordered = sorted(
        units, key=lambda u: (u.kind == "department", vn_sort_key(u.name), u.valid_from)
    )
    return searchable([{"label": u.label, "value": u.ref} for u in ordered])


def resolve_refs(refs: list[str], period_key: str) -> list[str]:
    """The option values (version refs) that unit references from a URL mean in the period:
    `ma=10606` is Thị trấn Nam Sách in 2025-Q1 and Xã Nam Sách in 2025-Q3. Unknown ones drop."""
    p = parse_period(period_key)
    with context.get().engine.connect() as conn:
        units = queries.all_units(conn)
    out = []
    for ref in refs:
        try:
            out.append(units.resolve(ref, p.start, p.end).ref)
        except ValueError:
            continue
    return out


def field_options() -> list[dict[str, str]]:
    """Fields in Vietnamese order, searchable without diacritics."""
    with context.get().engine.connect() as conn:
        names = sorted(queries.fields(conn).values(), key=vn_sort_key)
    return searchable([{"label": f, "value": f} for f in names])


def period_choices(wanted: str, today: dt.date | None = None) -> list[dict[str, str]]:
    """Presets relative to today (this month, last month, …), then the named periods of the
    data, with `wanted` added when it is none of them. Each period appears once."""
    first, last = figures.data_range()
    periods = preset_options(today or clock.today(), last and last.date())
    seen = {p["value"] for p in periods}
    periods += [
        p
        for p in period_options(first and first.date(), last and last.date())
        if p["value"] not in seen
    ]
    if wanted not in {p["value"] for p in periods}:
        periods.insert(0, {"label": parse_period(wanted).label, "value": wanted})
    return searchable(periods)


def register_range(app: Dash, prefix: str) -> None:
    """The date boxes `{prefix}-range` and the period chooser kept in step: dates typed in the
    boxes become the page's period; a period chosen or opened from a link shows its dates in
    the boxes when it is a day or a range of days, and empties them for a named period (so
    the boxes never show a range the page is not showing). One callback both ways: Dash
    runs a callback whose outputs are its own inputs once, with no loop."""
    range_id, period_id = f"{prefix}-range", f"{prefix}-period"

    def sync(start: str | None, end: str | None, period: str | None, options: list[dict] | None):
        if ctx.triggered_id == range_id:
            if not start or not end:
                return no_update, no_update, no_update, no_update
            try:
                chosen = parse_period(f"{start[:10]}:{end[:10]}")
            except ValueError:
                return no_update, no_update, no_update, no_update
            choice = {"label": chosen.label, "value": chosen.key}
            rest = [o for o in options or [] if o.get("value") != chosen.key]
            return searchable([choice, *rest]), chosen.key, no_update, no_update
        try:
            shown = parse_period(period or "")
        except ValueError:
            return no_update, no_update, no_update, no_update
        if shown.kind in ("day", "range"):
            return no_update, no_update, shown.start.isoformat(), shown.end.isoformat()
        return no_update, no_update, None, None

    app.callback(
        Output(period_id, "options", allow_duplicate=True),
        Output(period_id, "value", allow_duplicate=True),
        Output(range_id, "start_date"),
        Output(range_id, "end_date"),
        Input(range_id, "start_date"),
        Input(range_id, "end_date"),
        Input(period_id, "value"),
        State(period_id, "options"),
        prevent_initial_call=True,
    )(sync)


def register_url_writer(app: Dash, store_id: str, sink_id: str) -> None:
    """Write a page's query string (kept in `store_id`) into the address bar without
    reloading or re-routing the page, so the view can be bookmarked and shared."""
    app.clientside_callback(
        "function (q) { if (q && q !== window.location.search) {"
        " window.history.replaceState(null, '', window.location.pathname + q); } return ''; }",
        Output(sink_id, "children"),
        Input(store_id, "data"),
    )
