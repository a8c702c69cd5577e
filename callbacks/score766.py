"""Điểm 766 page: period and unit from the URL; a component's list on demand."""

from __future__ import annotations

import time

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks import common
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.services import entries, score766_view
from dashboard.services.report import ScopeError
from dashboard.web.pages import page
from layouts import score766 as view
from layouts.components import unit_notice
from layouts.components.period import how_counted

PARAMS = page("score766").filters


def fill_options(_id: str, search: str | None):
    """Choices from the data and the values the URL asks for; a unit the page cannot show
    (another unit's for a unit account, one merged or not yet formed in the period, an unknown
    code) is told, not silently replaced by the scope."""
    q = entries.resolved(ViewQuery.from_url(search))
    options = common.unit_options(q.period)
    value, notice = _asked_unit(q, options)
    return (
        common.period_choices(q.period),
        q.period,
        options,
        value,
        notice,
        q.component or None,
    )


def _asked_unit(q: ViewQuery, options: list[dict]) -> tuple[str | None, object]:
    """The unit choice for the URL's `ma` (its code's unit of the period when reused), and
    what to say when there is none. A unit account starts on its own unit."""
    values = [o["value"] for o in options]
    default = common.chosen_or_own(None, q.period, values)
    if not q.unit:
        return default, ""
    if not entries.may_see(q.unit, q.period):
        # What the page opens on instead: the account's unit of the period, else the scope.
        shown = next((o["label"] for o in options if o["value"] == default), None)
        opened = shown or "toàn phạm vi theo dõi"
        return default, unit_notice.not_allowed(q.unit, opened, id="s7-not-allowed")
    kept = common.keep_chosen([q.unit], q.period, values)
    if kept:
        return kept[0], ""
    where = entries.unit_elsewhere(q)
    if where is None:
        return default, unit_notice.unknown_unit(q.unit)
    holders = [
        (u.label, "/diem-766" + ViewQuery(period=q.period, unit=u.ref).to_url(PARAMS))
        for u in where.holders
    ]
    return default, unit_notice.elsewhere(where.asked, holders, where.formed_later)


def follow_period(period: str | None, chosen: str | None):
    """The units of a newly chosen period, keeping the chosen unit (or its code's unit then),
    else the account's own."""
    if not period:
        return no_update, no_update
    options = common.unit_options(period)
    return options, common.chosen_or_own(chosen, period, [o["value"] for o in options])


def show(period: str | None, unit: str | None):
    """The score of the unit (or the scope)."""
    if not period:
        return ""
    q = ViewQuery(period=period, unit=unit or "")
    try:
        v = score766_view.unit_view(q)
    except ScopeError:  # a forged or stale unit the period does not have
        return unit_notice.unknown_unit(unit or "")
    note = how_counted(entries.how_counted(period), "s7-how-counted")
    return [note, *view.content(v, parse_period(period).label)]


def query(period: str | None, unit: str | None, component: str | None):
    """The view's query string: period, unit and the component whose list shows (a link to
    the dossiers behind a loss can be sent)."""
    if not period:
        return no_update
    return ViewQuery(period=period, unit=unit or "", component=component or "").to_url(PARAMS)


def pick(_clicks: list[int | None]):
    """A click on a lost-points line chooses its component."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(_clicks or []):
        return no_update
    return trig["code"]


def gap(component: str | None, period: str | None, unit: str | None):
    """The dossiers, PAKN or procedures behind the chosen component's lost points, and
    whether to bring them into view (a component just chosen, by a click or the address)."""
    if not component or not period:
        return "", no_update
    q = ViewQuery(period=period, unit=unit or "")
    try:
        figures = score766_view.chosen(q)
    except ScopeError:
        return "", no_update
    chosen_now = any(t["prop_id"].startswith("s7-component.") for t in ctx.triggered)
    # A new value each time, so the same component chosen again scrolls again.
    return view.gap_table(score766_view.gap_list(q, figures, component)), (
        time.time() if chosen_now else no_update
    )


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("s7-period", "options"),
        Output("s7-period", "value"),
        Output("s7-unit", "options", allow_duplicate=True),
        Output("s7-unit", "value", allow_duplicate=True),
        Output("s7-notice", "children"),
        Output("s7-component", "value", allow_duplicate=True),
        Input("s7-period", "id"),
        State("url", "search"),
        prevent_initial_call="initial_duplicate",
    )(fill_options)
    app.callback(
        Output("s7-unit", "options"),
        Output("s7-unit", "value"),
        Input("s7-period", "value"),
        State("s7-unit", "value"),
        prevent_initial_call=True,
    )(follow_period)
    app.callback(
        Output("s7-content", "children"),
        Input("s7-period", "value"),
        Input("s7-unit", "value"),
    )(show)
    app.callback(
        Output("s7-query", "data"),
        Input("s7-period", "value"),
        Input("s7-unit", "value"),
        Input("s7-component", "value"),
    )(query)
    app.callback(
        Output("s7-component", "value"),
        Input({"type": "s7-pick", "code": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(pick)
    app.callback(
        Output("s7-gap", "children"),
        Output("s7-scroll", "data"),
        Input("s7-component", "value"),
        Input("s7-period", "value"),
        Input("s7-unit", "value"),
    )(gap)
    # Once the list is drawn (React renders it after this runs: wait for its heading), its
    # heading at the top of the window; the link's own jump happens before the list exists.
    app.clientside_callback(
        """function (go) {
            if (!go) { return ''; }
            var tries = 0;
            (function step() {
                var head = document.querySelector('#s7-gap h2, #s7-gap-note');
                if (head) { head.scrollIntoView({block: 'start'}); }
                else if (tries++ < 100) { window.setTimeout(step, 50); }
            })();
            return '';
        }""",
        Output("s7-scroll-sink", "children"),
        Input("s7-scroll", "data"),
    )
    common.register_url_writer(app, "s7-query", "s7-query-sink")
    common.register_range(app, "s7")
