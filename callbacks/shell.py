"""Shell header: the scope's name and the date range of the data."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output

from dashboard import figures
from dashboard.formatting import fmt_date
from dashboard.indicators.periods import parse_period


def fill_header(_pathname: str | None) -> tuple[str, str]:
    """The scope's name as of the newest data, and "Dữ liệu: dd/mm/yyyy – dd/mm/yyyy"."""
    first, last = figures.data_range()
    day = (last or dt.datetime.now()).date()
    name = figures.monitoring_scope().era(parse_period(day.isoformat())).name
    if first is None:
        return name.upper(), "Chưa có dữ liệu hồ sơ"
    return name.upper(), f"Dữ liệu: {fmt_date(first)} – {fmt_date(last)}"


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app` (explicitly: Dash's global @callback list is
    consumed by the first app that serves, so a second app would get none)."""
    app.callback(
        Output("shell-district", "children"),
        Output("shell-data-range", "children"),
        Input("url", "pathname"),
    )(fill_header)
