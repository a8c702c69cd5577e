"""The data page's officer merge form: office staff only (the page's role rule, and the
service checks again for a forged request)."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from dashboard.services import officers
from layouts import officer_merge as view


def units(_id: str):
    """The units that have officers."""
    try:
        return [{"label": label, "value": i} for i, label in officers.merge_units()]
    except officers.NotAllowed:
        return []


def unit_officers(unit_id: int | None, _result):
    """The chosen unit's officers for both lists, and its merged spellings."""
    if unit_id is None:
        return [], [], None
    try:
        found = officers.unit_officers(int(unit_id))
    except officers.NotAllowed as exc:
        return [], [], html.P(str(exc))
    options = [{"label": n, "value": i} for i, n, p in found if not p]
    return options, options, view.merged_list(found)


def act(_go, _undo, keep: int | None, other: int | None):
    """Merge the two chosen, or undo one merge."""
    trigger = ctx.triggered_id
    try:
        if isinstance(trigger, dict) and trigger.get("type") == "data-om-undo":
            if not ctx.triggered[0]["value"]:  # the button just drawn, not clicked
                return no_update
            officers.unmerge(int(trigger["officer"]))
            return html.P("Đã bỏ gộp.", className="text-success")
        if keep is None or other is None or keep == other:
            return html.P("Chọn hai tên khác nhau.", className="text-danger")
        return html.P(officers.merge(int(keep), int(other)), className="text-success")
    except (officers.NotAllowed, ValueError) as exc:
        return html.P(str(exc), className="text-danger")


def register(app: Dash) -> None:
    """Attach the form's callbacks to `app`."""
    app.callback(Output("data-om-unit", "options"), Input("data-om-unit", "id"))(units)
    app.callback(
        Output("data-om-keep", "options"),
        Output("data-om-other", "options"),
        Output("data-om-list", "children"),
        Input("data-om-unit", "value"),
        Input("data-om-result", "children"),
    )(unit_officers)
    app.callback(
        Output("data-om-result", "children"),
        Input("data-om-go", "n_clicks"),
        Input({"type": "data-om-undo", "officer": ALL}, "n_clicks"),
        State("data-om-keep", "value"),
        State("data-om-other", "value"),
        prevent_initial_call=True,
    )(act)
