"""Shell header: district name and the date range of the data."""

from __future__ import annotations

from dash import Input, Output, callback

from dashboard import context
from dashboard.formatting import fmt_date
from data_access import queries


@callback(
    Output("shell-district", "children"),
    Output("shell-data-range", "children"),
    Input("url", "pathname"),
)
def fill_header(_pathname: str | None) -> tuple[str, str]:
    """District name and "Dữ liệu: dd/mm/yyyy – dd/mm/yyyy"."""
    engine = context.get().engine
    name = queries.district_name(engine)
    first, last = queries.data_date_range(engine)
    district = f"HUYỆN {name.upper()}" if name else "TTHC"
    if first is None:
        return district, "Chưa có dữ liệu hồ sơ"
    return district, f"Dữ liệu: {fmt_date(first)} – {fmt_date(last)}"
