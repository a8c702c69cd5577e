"""Shell header: the scope's name and the date range of the data."""

from __future__ import annotations

from dash import Dash, Input, Output
from flask import session

from dashboard.domain import clock
from dashboard.domain.formatting import fmt_date
from dashboard.domain.periods import parse_period
from dashboard.services import context, figures
from dashboard.web import access
from dashboard.web.auth import LOGOUT_ALL_PATH, LOGOUT_PATH, accounts_on
from dashboard.web.pages import PAGES
from data_access import queries
from layouts.shell import nav_items, user_block


def fill_header(_pathname: str | None) -> tuple[str, str]:
    """The scope's name as of the newest data, and "Dữ liệu: dd/mm/yyyy – dd/mm/yyyy"."""
    first, last = figures.data_range()
    day = (last or clock.now()).date()
    name = figures.monitoring_scope().era(parse_period(day.isoformat())).name
    if first is None:
        return name.upper(), "Chưa có dữ liệu hồ sơ"
    return name.upper(), f"Dữ liệu: {fmt_date(first)} – {fmt_date(last)}"


def fill_user(_pathname: str | None) -> tuple[list, list | str]:
    """The links the account's role may open, and who is logged in with the way out (nothing
    to show without accounts: a personal copy)."""
    scope = access.current()
    if not accounts_on() or not scope.username:
        return nav_items(PAGES), ""
    role = access.ROLE_LABELS.get(scope.role, scope.role)
    if scope.unit_id is not None:  # the unit says the role: "Xã Hợp Tiến"
        with context.get().reader().connect() as conn:
            role = queries.all_units(conn)[scope.unit_id].name
    token = session.get("csrf", "")
    return nav_items(PAGES, scope.role), user_block(
        scope.person, role, LOGOUT_PATH, LOGOUT_ALL_PATH, token
    )


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app` (explicitly: Dash's global @callback list is
    consumed by the first app that serves, so a second app would get none)."""
    app.callback(
        Output("shell-district", "children"),
        Output("shell-data-range", "children"),
        Input("url", "pathname"),
    )(fill_header)
    app.callback(
        Output("shell-nav", "children"),
        Output("shell-user", "children"),
        Input("url", "pathname"),
    )(fill_user)
