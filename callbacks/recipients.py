"""Người nhận thư: add and remove recipients (office roles: the page's rule, checked again
here for a forged request; each change audited), the list and the newest deliveries."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, no_update
from flask import has_request_context, request

from dashboard.delivery import smtp
from dashboard.domain import clock
from dashboard.services import context, figures
from dashboard.web import access
from dashboard.web.pages import OFFICE
from data_access import accounts, deliveries, recipients
from layouts import recipients as view
from layouts.components.dropdown import searchable

WEB_USER = "giao diện web"  # a personal copy without accounts: nobody logs in
SHOWN = 50  # deliveries listed


def _lists():
    engine = context.get().engine  # the primary: the page shows its own writes at once
    with engine.connect() as conn:
        listed = recipients.all_recipients(conn)
    return view.recipients_table(listed), view.deliveries_table(deliveries.recent(engine, SHOWN))


def fill(_id: str | None):
    """The units to choose (today's units of the scope), the server, the list, the mail."""
    # Recipients are by code (the digest of a day goes to the unit carrying it then): a unit
    # is offered by name and code, without the dates that tell its versions apart.
    members, _former = figures.period_units(figures.data_version(), clock.today().isoformat())
    options = searchable([{"label": f"{u.name} ({u.code})", "value": u.code} for u in members])
    settings = context.get().settings
    config = smtp.SmtpConfig.from_settings(settings)
    server = view.server_line(config.where if config.host else "", config.security, config.sender)
    return options, server, *_lists()


def _audit(conn, action: str, r: recipients.MailRecipient) -> None:
    scope = access.current()
    address = (request.remote_addr or "") if has_request_context() else ""
    accounts.audit(conn, scope.username or WEB_USER, action, f"{r.email} → {r.target}", address)


def act(_add, _remove, email: str | None, kind: str | None, unit: str | None):
    """Add the address typed, or remove the line whose «Bỏ» was pressed; the answer and the
    list drawn anew."""
    trigger = ctx.triggered_id
    if trigger is None:
        return no_update, no_update
    if not access.current().may(OFFICE):
        return view.message("Chỉ văn phòng và lãnh đạo được sửa danh sách nhận thư.", False), (
            no_update
        )
    try:
        with context.get().engine.begin() as conn:
            if isinstance(trigger, dict) and trigger.get("type") == "rc-remove":
                if not ctx.triggered[0]["value"]:  # the button just drawn, not pressed
                    return no_update, no_update
                removed = recipients.remove(conn, int(trigger["id"]))
                _audit(conn, "bo_nguoi_nhan_thu", removed)
                text = f"Đã bỏ {removed.email} khỏi danh sách nhận thư của {removed.target}."
            else:
                is_unit = kind == "unit"
                role = kind if kind in recipients.ROLES else ""
                added = recipients.add(
                    conn,
                    email or "",
                    unit_code=(unit or "") if is_unit else "",
                    role=role,
                    added_by=access.current().username or WEB_USER,
                )
                _audit(conn, "them_nguoi_nhan_thu", added)
                text = f"Đã thêm {added.email}: nhận thư của {added.target}."
    except (ValueError, TypeError) as exc:
        return view.message(str(exc), False), no_update
    listed, _mail = _lists()
    return view.message(text, True), listed


def unit_choice(kind: str | None):
    """The unit list is for a unit's recipients only."""
    return kind != "unit"


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("rc-unit", "options"),
        Output("rc-server", "children"),
        Output("rc-list", "children"),
        Output("rc-deliveries", "children"),
        Input("rc-list", "id"),
    )(fill)
    app.callback(Output("rc-unit", "disabled"), Input("rc-kind", "value"))(unit_choice)
    app.callback(
        Output("rc-message", "children"),
        Output("rc-list", "children", allow_duplicate=True),
        Input("rc-add", "n_clicks"),
        Input({"type": "rc-remove", "id": ALL}, "n_clicks"),
        State("rc-email", "value"),
        State("rc-kind", "value"),
        State("rc-unit", "value"),
        prevent_initial_call=True,
    )(act)
