"""First screen: the per-unit dossier count table."""

from __future__ import annotations

from dash import Input, Output, callback

from dashboard import context
from data_access import queries
from layouts import home


@callback(Output("home-unit-table", "children"), Input("home-unit-table", "id"))
def fill_unit_table(_id: str):  # noqa: ANN201 (a Dash component)
    """Render the count table when the page opens."""
    return home.unit_table(queries.unit_dossier_counts(context.get().engine))
