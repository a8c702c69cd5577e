"""The period chooser every filtered page shares: named periods and presets, or a date range."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc

from layouts.components.dropdown import dropdown


def period_picker(prefix: str) -> dbc.Col:
    """`{prefix}-period` (presets and named periods) and `{prefix}-range` (any dates)."""
    return dbc.Col(
        [
            dbc.Label("Kỳ báo cáo", html_for=f"{prefix}-period"),
            dropdown(id=f"{prefix}-period", clearable=False),
            dcc.DatePickerRange(
                id=f"{prefix}-range",
                display_format="DD/MM/YYYY",
                start_date_placeholder_text="Từ ngày",
                end_date_placeholder_text="đến ngày",
                first_day_of_week=1,
                minimum_nights=0,
                month_format="MM/YYYY",
                clearable=True,
                className="period-range mt-1",
            ),
        ],
        md=3,
    )


def how_counted(note: str | None, id: str) -> dbc.Alert | None:
    """The note above a page's figures when its period crosses a reorganization."""
    return dbc.Alert(note, color="info", className="py-2 how-counted", id=id) if note else None
