"""Unit page: period and unit from the URL (?ky=…&ma=…), figures and problem dossiers."""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from callbacks import common, officers
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.services import entries
from dashboard.web import access
from dashboard.web.pages import page
from layouts import unit as view
from layouts.components import unit_notice
from layouts.components.downloads import download_links
from layouts.components.period import how_counted

PARAMS = page("unit").filters


def fill_options(_id: str, search: str | None):
    """Period choices and the period and unit the URL asks for (the unit's choices follow
    the period: `follow_period`); a unit account asking for a unit it may not see is told."""
    q = entries.resolved(ViewQuery.from_url(search))
    notice: object = ""
    asked = q.unit or None
    if q.unit and not entries.may_see(q.unit, q.period):
        notice = unit_notice.not_allowed(q.unit, common.unit_label(access.current().unit_id))
        asked = None
    # A unit merged before the period, asked for by a link: the former units are listed
    # (marked) and it is shown, with where its dossiers are counted now.
    former = asked is not None and common.is_former(asked, q.period)
    options, value = follow_period(q.period, former, asked)
    return common.period_choices(q.period), q.period, options, value, notice, former


def follow_period(period: str | None, with_former: bool | None, chosen: str | None):
    """The units of the period (and, asked for, the former ones, marked), keeping the chosen
    unit (or its code's unit of this period), else the account's own unit, else the first."""
    if not period:
        return no_update, no_update
    options = common.unit_options(period, bool(with_former))
    values = [o["value"] for o in options]
    return options, common.chosen_or_own(chosen, period, values) or next(iter(values), None)


def show(period: str | None, unit: str | None):
    """The unit's figures against the scope's, and its problem dossiers."""
    if not period:
        return "", ""
    if not unit:
        return view.no_units(parse_period(period).label), ""
    q = ViewQuery(period=period, unit=unit)
    uv = entries.unit(q)
    if uv is None:
        # a unit merged into another, or a period reported on the units formed later: say
        # whose figures hold its dossiers (never for a unit the account may not see)
        where = entries.unit_elsewhere(q)
        if where is not None:
            holders = [
                (u.label, "/don-vi" + ViewQuery(period=period, unit=u.ref).to_url(PARAMS))
                for u in where.holders
            ]
            return unit_notice.elsewhere(where.asked, holders, where.formed_later), ""
        return unit_notice.unknown_unit(unit), ""
    query = uv.query.to_url(PARAMS)
    chart = view.trends(uv.months, uv.unit.unit.name)
    links = download_links(
        [("Excel", f"/xuat/bang/ho-so.xlsx{query}"), ("CSV", f"/xuat/bang/ho-so.csv{query}")],
        "Tải danh sách hồ sơ:",
    )
    body = view.content(
        uv.unit, uv.parent, uv.period.label, uv.problems, uv.period.end, uv.events, chart
    )
    note = how_counted(entries.how_counted(uv.period.key), "un-how-counted")
    return [note, links, body], query


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("un-period", "options"),
        Output("un-period", "value"),
        Output("un-unit", "options", allow_duplicate=True),
        Output("un-unit", "value", allow_duplicate=True),
        Output("un-notice", "children"),
        Output("un-former", "value"),
        Input("un-period", "id"),
        State("url", "search"),
        prevent_initial_call="initial_duplicate",
    )(fill_options)
    app.callback(
        Output("un-unit", "options"),
        Output("un-unit", "value"),
        Input("un-period", "value"),
        Input("un-former", "value"),
        State("un-unit", "value"),
    )(follow_period)
    app.callback(
        Output("un-content", "children"),
        Output("un-query", "data"),
        Input("un-period", "value"),
        Input("un-unit", "value"),
    )(show)
    officers.register(app)
    common.register_url_writer(app, "un-query", "un-query-sink")
    common.register_range(app, "un")
