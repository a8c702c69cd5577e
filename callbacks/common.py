"""Pieces every filtered page uses: choices from the data, and the view written to the URL."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output, State, ctx, no_update

from dashboard.domain import clock
from dashboard.domain.filters import period_options, preset_options
from dashboard.domain.formatting import vn_sort_key
from dashboard.domain.periods import parse_period
from dashboard.services import context, figures
from dashboard.web import access
from data_access import queries
from layouts.components.dropdown import searchable

FORMER_MARK = " — đơn vị cũ, đã sáp nhập"


def unit_options(period_key: str, with_former: bool = False) -> list[dict[str, str]]:
    """The receiving units of the period (the scope's units then), communes first then
    departments, in Vietnamese order; with `with_former`, after them the units merged into
    them before the period, marked. Searchable without diacritics ("dong lac" finds Đồng
    Lạc) and by code. A unit account sees its own (and the units it took over)."""
    scope = access.current()
    members, former = figures.period_units(figures.data_version(), period_key)
    options = [{"label": u.label, "value": u.ref} for u in members if scope.may_see_unit(u.id)]
    if with_former:
        options += [
            {"label": u.label + FORMER_MARK, "value": u.ref}
            for u in former
            if scope.may_see_unit(u.id)
        ]
    return searchable(options)


def keep_chosen(chosen: list[str], period_key: str, values: list[str]) -> list[str]:
    """The chosen units that are choices of the period, each as chosen or as the unit its code
    names in the period (10606 is Thị trấn Nam Sách in 2025-Q1, Xã Nam Sách in 2025-Q3)."""
    out = []
    for ref in chosen:
        if ref in values:
            out.append(ref)
            continue
        code = ref.partition("@")[0]
        moved = resolve_refs([code], period_key)
        if moved and moved[0] in values:
            out.append(moved[0])
    return list(dict.fromkeys(out))


def is_former(ref: str, period_key: str) -> bool:
    """Whether a unit a URL names is one merged into a unit of the period before it."""
    _members, former = figures.period_units(figures.data_version(), period_key)
    p = parse_period(period_key)
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    try:
        asked = units.resolve(ref, p.start, p.end)
    except ValueError:
        return False
    return any(u.id == asked.id for u in former)


def chosen_or_own(chosen: str | None, period_key: str, values: list[str]) -> str | None:
    """The unit choice of a period: the chosen unit (or its code's unit then), else the
    account's own unit when it is a choice, else None."""
    kept = keep_chosen([chosen] if chosen else [], period_key, values)
    if kept:
        return kept[0]
    own = own_unit_ref(period_key)
    return own if own in values else None


def own_unit_ref(period_key: str) -> str | None:
    """A unit account's own unit as the period names it: its version, else the unit of the
    period that holds its dossiers (a predecessor of an account's newer unit)."""
    scope = access.current()
    if scope.unit_id is None:
        return None
    with context.get().reader().connect() as conn:
        units = queries.all_units(conn)
    p = parse_period(period_key)
    mine = units[scope.unit_id]
    if mine.overlaps(p.start, p.end):
        return mine.ref
    members, _former = figures.period_units(figures.data_version(), period_key)
    visible = [u for u in members if scope.may_see_unit(u.id)]
    # Its code's unit of that time first (Thái Tân for Xã Thái Tân), else the first.
    same = [u for u in visible if u.code == mine.code]
    return (same or visible)[0].ref if visible else None


def unit_label(unit_id: int | None) -> str | None:
    """How lists name a unit version (None for none)."""
    if unit_id is None:
        return None
    with context.get().reader().connect() as conn:
        return queries.all_units(conn)[unit_id].label


def resolve_refs(refs: list[str], period_key: str) -> list[str]:
    """The option values (version refs) that unit references from a URL mean in the period:
    `ma=10606` is Thị trấn Nam Sách in 2025-Q1 and Xã Nam Sách in 2025-Q3. Unknown ones drop."""
    p = parse_period(period_key)
    with context.get().reader().connect() as conn:
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
    with context.get().reader().connect() as conn:
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


def units_of(period: str, chosen: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """The unit choices of a period (a key, or a date taken as that day) and, of `chosen`,
    those that are among them (or their code's unit in the period)."""
    key = period[:10]
    options = unit_options(key)
    return options, keep_chosen(chosen, key, [o["value"] for o in options])


def register_units_following(app: Dash, units_id: str, period_id: str, prop: str) -> None:
    """A multi-unit filter whose choices are the units of the period chosen in `period_id`
    (its `prop`: a period key, or a date taken as that day), keeping what was chosen (or its
    code's unit in the new period). The page's first callback fills both from the URL (a
    dropdown drops a value it has no choice for)."""

    def follow(period: str | None, chosen: list[str] | None):
        if not period:
            return no_update, no_update
        return units_of(period, list(chosen or []))

    app.callback(
        Output(units_id, "options"),
        Output(units_id, "value"),
        Input(period_id, prop),
        State(units_id, "value"),
    )(follow)


def register_url_writer(app: Dash, store_id: str, sink_id: str) -> None:
    """Write a page's query string (kept in `store_id`) into the address bar without
    reloading or re-routing the page, so the view can be bookmarked and shared."""
    app.clientside_callback(
        "function (q) { if (q && q !== window.location.search) {"
        " window.history.replaceState(null, '', window.location.pathname + q); } return ''; }",
        Output(sink_id, "children"),
        Input(store_id, "data"),
    )
