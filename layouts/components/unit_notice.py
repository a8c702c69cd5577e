"""What a page says when the unit a URL asks for is not shown: a unit account asking for another
unit, a unit merged into another (or formed later) in the period, an unknown code."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.formatting import fmt_date
from dashboard.domain.units import UnitRow


def elsewhere(asked: UnitRow, holders: list[tuple[str, str]], formed_later: bool) -> html.P:
    """The unit asked for is not a unit of the period: whose figures hold its dossiers,
    `holders` as (label, href of its page for the same period)."""
    links: list[Any] = []
    for i, (label, href) in enumerate(holders):
        links += [", " if i else "", dcc.Link(label, href=href, refresh=True)]
    if formed_later:
        text = (
            f"{asked.label} được thành lập từ {fmt_date(asked.valid_from)}, sau kỳ báo cáo "
            "này. Trong kỳ, hồ sơ thuộc các đơn vị trước đó: "
        )
    else:
        text = (
            f"{asked.label} không phải đơn vị của kỳ báo cáo này (đã sắp xếp lại): hồ sơ của "
            "đơn vị được tính cho "
        )
    return html.P([text, *links, "."], className="unit-elsewhere text-warning-emphasis")


def not_allowed(code: str, own: str | None, id: str = "un-not-allowed") -> dbc.Alert:
    """A unit account asked (by a link or a typed address) for a unit it may not see."""
    mine = f" Trang đang mở: {own}." if own else ""
    return dbc.Alert(
        f"Tài khoản này chỉ xem được số liệu của đơn vị mình, không xem được đơn vị mã «{code}»."
        + mine,
        color="warning",
        id=id,
        className="py-2",
    )


def unknown_unit(code: str) -> html.P:
    """The unit asked for is not a receiving unit of the district."""
    return html.P(
        f"Đơn vị mã «{code}» không có số liệu trong kỳ này (đã sáp nhập, hoặc mã sai).",
        className="text-danger",
    )
