"""Units-that-must-explain page: the list for the period, and recording an explanation."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from callbacks import common
from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import parse_day
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.services import context, entries, standing
from dashboard.web import access
from dashboard.web.pages import OFFICE, page
from data_access import accounts, explanations
from layouts import explain as view
from layouts.components.downloads import download_links
from layouts.components.period import how_counted

PARAMS = page("explain").filters


def fill_options(_id: str, search: str | None):
    """Period choices and the view the URL asks for (?ky=…&lien_tiep=1 or &so_ky=2)."""
    q = entries.resolved(ViewQuery.from_url(search))
    least = max(standing.LONG_RUN if q.streak_only else 0, q.min_streak or 0)
    return common.period_choices(q.period), q.period, least


def _query(period: str, least: int | None) -> ViewQuery:
    """The list's query for a shortest run: the long runs keep their established URL
    (lien_tiep=1); another length is so_ky=N."""
    if not least:
        return ViewQuery(period=period)
    if least == standing.LONG_RUN:
        return ViewQuery(period=period, streak_only=True)
    return ViewQuery(period=period, min_streak=least)


def _items(period_key: str) -> list[standing.BelowTarget]:
    return entries.below_target(ViewQuery(period=period_key)).all


def show(period: str | None, least: int | None, _saved: int | None):
    """The list for the period and rule (refreshed after a save), and the query string of
    the view."""
    if not period:
        return "", ""
    below = entries.below_target(_query(period, least))
    query = below.query.to_url(PARAMS)
    files = [
        ("Excel", f"/xuat/bang/giai-trinh.xlsx{query}"),
        ("CSV", f"/xuat/bang/giai-trinh.csv{query}"),
    ]
    if access.current().may(OFFICE):  # the letters are the office's to send
        files.append(("Công văn: mỗi đơn vị một văn bản (.zip)", f"/xuat/cong-van.zip{query}"))
        files.append(("Công văn: một tệp để in (.docx)", f"/xuat/cong-van.docx{query}"))
    links = download_links(files)
    note = how_counted(entries.how_counted(below.period.key), "ex-how-counted")
    return [note, links, view.content(below.all, below.shown, below.period.label)], query


def select(cell: dict | None, period: str | None):
    """Remember the clicked unit × indicator (kept when the grid redraws after a save); a
    click on the same row again reopens its form."""
    if not cell or not period or ":" not in str(cell.get("rowId")):
        return no_update, no_update
    unit_id, indicator = str(cell["rowId"]).split(":", 1)
    chosen = {"period": period, "unit_id": unit_id, "indicator": indicator}
    return chosen | {"clicked": cell.get("timestamp")}, ""


def _chosen(chosen: dict | None, period: str | None) -> dict | None:
    """The current list's row for the chosen unit × indicator (None: not below target in
    this period, or nothing chosen), read on the server, never trusted from the browser."""
    if not chosen or not period or chosen.get("period") != period:
        return None
    wanted = (str(chosen.get("unit_id")), chosen.get("indicator"))
    items = [r for r in _items(period) if (str(r.unit.id), r.indicator.key) == wanted]
    return view.rows(items)[0] if items else None


def show_form(chosen: dict | None, _saved: int | None, period: str | None, author: str | None):
    """The record form and history of the chosen unit × indicator."""
    item = _chosen(chosen, period)
    if item is None or period is None:
        return "", False
    with context.get().engine.connect() as conn:
        current = explanations.current_of(conn, item["unit_id"], period, item["indicator"])
        events = explanations.history(conn, item["unit_id"], period, item["indicator"])
    scope = access.current()
    permitted = access.EXPLANATION_STEPS.get(scope.role, ())
    form = view.form(
        item,
        period,
        parse_period(period).label,
        current,
        events,
        author or "",
        permitted,
        scope.person,
    )
    return form, True


def save(
    _clicks: int | None,
    chosen: dict | None,
    period: str | None,
    status: str | None,
    text: str | None,
    plan: str | None,
    deadline: str | None,
    author: str | None,
    saved: int | None,
):
    """Record the change; a refusal is shown in Vietnamese beside the button and beside the
    field it is about (marked), and nothing is written."""
    if not _clicks:  # the button was just drawn (Dash fires for new components), not pressed
        return (no_update,) * (4 + 2 * len(FIELDS))
    item = _chosen(chosen, period)
    if item is None or period is None or item["indicator"] not in BY_KEY:
        return _refused("Chọn một dòng trong danh sách trước.", None, "warning")
    scope = access.current()
    if status not in access.EXPLANATION_STEPS.get(scope.role, ()):
        return _refused("Tài khoản này không được đặt trạng thái đó.", None)
    try:
        try:
            day = parse_day(deadline, "Hạn hoàn thành khắc phục")
        except ValueError as exc:
            raise explanations.FieldError("deadline", str(exc)) from None
        with context.get().engine.begin() as conn:
            explanations.record(
                conn,
                unit_id=item["unit_id"],
                period=period,
                indicator=item["indicator"],
                status=status or "",
                text=(text or "").strip(),
                remediation_plan=(plan or "").strip(),
                deadline=day,
                # With accounts on, the record carries the logged-in person, not a typed name.
                author=scope.person or author or "",
            )
            accounts.audit(
                conn,
                scope.username or (author or ""),
                "giai_trinh",
                f"{item['unit_code']} {period} {item['indicator']} → {status}",
            )
    except explanations.FieldError as exc:  # nothing written: said beside its field
        return _refused(f"Chưa lưu. {exc}", exc.field)
    except ValueError as exc:
        return _refused(f"Chưa lưu. {exc}", None)
    message = (
        f"Đã lưu: {item['unit_name']} — {item['indicator_name']}: "
        f"{explanations.STATUS_LABELS[status or '']}."
    )
    cleared = [False] * len(FIELDS) + [""] * len(FIELDS)
    # Saved: the form is drawn anew with its history; the word stays above it.
    done = dbc.Alert(message, color="success")
    return done, "", (saved or 0) + 1, (author or "").strip(), *cleared


# The form's fields that can be wrong, by the name explanations.FieldError gives them.
FIELDS = ("author", "deadline", "text", "plan")


def _refused(message: str, field: str | None, color: str = "danger") -> tuple:
    invalid = [f == field for f in FIELDS]
    feedback = [message.removeprefix("Chưa lưu. ") if f == field else "" for f in FIELDS]
    alert = dbc.Alert(message, color=color, id="ex-save-refused", className="py-2")
    return "", alert, no_update, no_update, *invalid, *feedback


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("ex-period", "options"),
        Output("ex-period", "value"),
        Output("ex-min-run", "value"),
        Input("ex-period", "id"),
        State("url", "search"),
    )(fill_options)
    app.callback(
        Output("ex-content", "children"),
        Output("ex-query", "data"),
        Input("ex-period", "value"),
        Input("ex-min-run", "value"),
        Input("ex-saved", "data"),
    )(show)
    app.callback(
        Output("ex-selected", "data"),
        Output("ex-message", "children", allow_duplicate=True),
        Input("ex-grid", "cellClicked"),
        State("ex-period", "value"),
        prevent_initial_call=True,
    )(select)
    app.callback(
        Output("ex-form", "children"),
        Output("ex-panel", "is_open"),
        Input("ex-selected", "data"),
        Input("ex-saved", "data"),
        Input("ex-period", "value"),
        State("ex-author-memory", "data"),
    )(show_form)
    app.callback(
        Output("ex-message", "children", allow_duplicate=True),
        Output("ex-save-message", "children"),
        Output("ex-saved", "data"),
        Output("ex-author-memory", "data"),
        *[Output(f"ex-{f}", "invalid") for f in FIELDS],
        *[Output(f"ex-{f}-error", "children") for f in FIELDS],
        Input("ex-save", "n_clicks"),
        State("ex-selected", "data"),
        State("ex-period", "value"),
        State("ex-status", "value"),
        State("ex-text", "value"),
        State("ex-plan", "value"),
        State("ex-deadline", "value"),
        State("ex-author", "value"),
        State("ex-saved", "data"),
        prevent_initial_call=True,
    )(save)
    # The reason a save was refused is brought into view (a long panel may hide it).
    app.clientside_callback(
        "function (c) { var el = document.getElementById('ex-save-message');"
        " if (c && el) { el.scrollIntoView({block: 'nearest'}); } return ''; }",
        Output("ex-save-seen", "children"),
        Input("ex-save-message", "children"),
        prevent_initial_call=True,
    )
    common.register_url_writer(app, "ex-query", "ex-query-sink")
    common.register_range(app, "ex")
