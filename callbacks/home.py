"""First screen: the per-unit dossier count table."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import context
from data_access import queries
from layouts import home


def fill_unit_table(_id: str):  # noqa: ANN201 (a Dash component)
    """Render the count table when the page opens."""
    return home.unit_table(queries.unit_dossier_counts(context.get().engine))


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app` (explicitly: Dash's global @callback list is
    consumed by the first app that serves, so a second app would get none)."""
    app.callback(
        Output("home-unit-table", "children"),
        Input("home-unit-table", "id"),
    )(fill_unit_table)
