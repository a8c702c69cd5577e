"""Shell header: district name and the date range of the data."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import cache, context
from dashboard.formatting import fmt_date
from data_access import queries


def fill_header(_pathname: str | None) -> tuple[str, str]:
    """District name and "Dữ liệu: dd/mm/yyyy – dd/mm/yyyy"."""
    engine = context.get().engine
    name = queries.district_name(engine)
    first, last = cache.data_range(engine)
    district = f"HUYỆN {name.upper()}" if name else "TTHC"
    if first is None:
        return district, "Chưa có dữ liệu hồ sơ"
    return district, f"Dữ liệu: {fmt_date(first)} – {fmt_date(last)}"


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app` (explicitly: Dash's global @callback list is
    consumed by the first app that serves, so a second app would get none)."""
    app.callback(
        Output("shell-district", "children"),
        Output("shell-data-range", "children"),
        Input("url", "pathname"),
    )(fill_header)
