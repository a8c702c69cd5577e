"""Overview page: filter options, then the scope's figures for the chosen period."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output, State, no_update
from flask import current_app

from callbacks import common
from dashboard.domain import clock
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.domain.warnings import ORDER
from dashboard.services import briefing_entries, entries, warning_view
from dashboard.web import access, pack_jobs
from dashboard.web.downloads import LETTER_DAYS
from dashboard.web.pages import OFFICE, page
from layouts import overview as view
from layouts import warnings as warnings_view
from layouts.components.assessment import sections_block

PARAMS = page("home").filters
WARNING_PARAMS = page("warnings").filters


def fill_options(_id: str, search: str | None):
    """Period, unit and field choices and the values the URL asks for (the units' choices
    then follow the period: common.register_units_following)."""
    q = entries.resolved(ViewQuery.from_url(search))
    units, chosen = common.units_of(q.period, list(q.units))
    fields = common.field_options()
    known_fields = {o["value"] for o in fields}
    return (
        common.period_choices(q.period),
        q.period,
        units,
        chosen,
        fields,
        [f for f in q.fields if f in known_fields],
    )


def show(period: str | None, units: list[str] | None, fields: list[str] | None):
    """The figures, and the query string that reproduces this view."""
    if not period:
        return "", ""
    q = ViewQuery(period=period, units=tuple(units or ()), fields=tuple(fields or ()))
    ov = entries.overview(q)
    query = ov.query.to_url(PARAMS)
    body = view.content(
        ov.now,
        ov.before,
        ov.period.label,
        ov.newest,
        ov.series,
        query,
        ov.note,
        _open_now(ov.query),
        access.current().may(OFFICE),
        q.fields,
    )
    return body, query


def fill_assessment(clicks: int | None, query: str | None):
    """The assessment's text for the view's query, computed when the block is first opened
    (later clicks fold and unfold what is there)."""
    if clicks != 1:
        return no_update
    words = briefing_entries.assessment(ViewQuery.from_url(query))
    return sections_block(words.sections)


def start_pack(n_clicks: int | None, query: str | None):
    """Start building the period's pack (office staff); the job id and the first words."""
    if not n_clicks:
        return no_update, no_update, no_update
    if not access.current().may(OFFICE):
        return None, True, "Tài khoản đơn vị không tạo bộ báo cáo của toàn phạm vi."
    q = entries.resolved(ViewQuery.from_url(query))
    label = parse_period(q.period).label
    deadline = clock.today() + dt.timedelta(days=LETTER_DAYS)
    try:
        job = pack_jobs.start(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            ViewQuery(period=q.period),
            label,
            deadline,
            owner=access.current().username,
        )
    except pack_jobs.Busy as exc:
        return None, True, str(exc)
    return job.id, False, "Đang tạo bộ báo cáo…"


def poll_pack(_n: int | None, job_id: str | None):
    """The job's progress; its link when done (and the polling stops)."""
    job = pack_jobs.get(job_id) if job_id else None
    if job is None:
        return True, "Không còn bộ báo cáo này: hãy tạo lại."
    if job.started is None:
        ahead = pack_jobs.waiting_before(job)
        return False, view.pack_status([f"Đang chờ: {ahead} bộ báo cáo tạo trước…"], None, None, 0)
    if not job.done:
        return False, view.pack_status(list(job.steps), None, None, 0)
    href = None if job.error else f"/xuat/bao-cao/{job.id}.zip"
    return True, view.pack_status(list(job.steps), job.error, href, job.size)


def _open_now(q: ViewQuery):
    """Today's open dossiers that need action, for the view's units and fields (no card for
    units that no longer exist today: their open dossiers are their successors')."""
    try:
        wv = warning_view.warnings(ViewQuery(units=q.units, fields=q.fields), False, dossiers=False)
    except ValueError:
        return None
    w = wv.warnings
    parts = w.units if q.units else [w.parent]
    counts = {c: sum(u.counts[c] for u in parts) for c in ORDER}
    href = "/canh-bao" + ViewQuery(units=q.units, fields=q.fields).to_url(WARNING_PARAMS)
    return warnings_view.open_card(
        counts, warnings_view.as_of_line(w, wv.newest), w.horizon.days, href
    )


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("ov-period", "options"),
        Output("ov-period", "value"),
        Output("ov-units", "options", allow_duplicate=True),
        Output("ov-units", "value", allow_duplicate=True),
        Output("ov-fields", "options"),
        Output("ov-fields", "value"),
        Input("ov-period", "id"),
        State("url", "search"),
        prevent_initial_call="initial_duplicate",
    )(fill_options)
    common.register_units_following(app, "ov-units", "ov-period", "value")
    app.callback(
        Output("ov-content", "children"),
        Output("ov-query", "data"),
        Input("ov-period", "value"),
        Input("ov-units", "value"),
        Input("ov-fields", "value"),
    )(show)
    app.callback(
        Output("ov-pack-job", "data"),
        Output("ov-pack-poll", "disabled", allow_duplicate=True),
        Output("ov-pack-status", "children", allow_duplicate=True),
        Input("ov-pack-start", "n_clicks"),
        State("ov-query", "data"),
        prevent_initial_call=True,
    )(start_pack)
    app.callback(
        Output("ov-pack-poll", "disabled"),
        Output("ov-pack-status", "children"),
        Input("ov-pack-poll", "n_intervals"),
        State("ov-pack-job", "data"),
        prevent_initial_call=True,
    )(poll_pack)
    app.callback(
        Output("ov-assessment-text", "children"),
        Input("ov-assessment-summary", "n_clicks"),
        State("ov-query", "data"),
    )(fill_assessment)
    common.register_url_writer(app, "ov-query", "ov-query-sink")
    common.register_range(app, "ov")
