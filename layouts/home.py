"""First screen: what data the dashboard holds, per unit (the real overview comes later)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.formatting import fmt_date, fmt_int, vn_sort_key
from data_access.queries import UnitCount

KIND_LABELS = {
    "commune": "Xã",
    "town": "Thị trấn",
    "ward": "Phường",
    "department": "Phòng chuyên môn",
    "district": "Huyện",
    "province": "Tỉnh",
}


def layout(**_query: str) -> html.Div:
    """Page skeleton; the table is filled by `callbacks.home`."""
    return html.Div(
        [
            html.H1("Tổng quan dữ liệu hồ sơ", className="h3"),
            html.P(
                "Số hồ sơ theo từng đơn vị tiếp nhận và ngày tiếp nhận gần nhất. "
                "Các trang chỉ số, bảng xếp hạng và giải trình sẽ được bổ sung.",
                className="text-muted",
            ),
            html.Div(id="home-unit-table", children=dbc.Spinner(color="primary")),
        ]
    )


def _validity(unit: UnitCount) -> str:
    if unit.valid_to is None:
        return f"từ {fmt_date(unit.valid_from)}"
    return f"{fmt_date(unit.valid_from)} – {fmt_date(unit.valid_to)}"


def unit_table(units: list[UnitCount]) -> html.Div:
    """Two tables (communes/towns, then departments) sorted by Vietnamese collation."""
    if not units:
        return dbc.Alert("Chưa có dữ liệu đơn vị. Hãy nạp dữ liệu danh mục.", color="warning")
    groups = [
        ("Xã, thị trấn", [u for u in units if u.kind != "department"]),
        ("Phòng chuyên môn thuộc UBND huyện", [u for u in units if u.kind == "department"]),
    ]
    blocks = []
    for title, members in groups:
        rows = [
            html.Tr(
                [
                    html.Td(u.code, className="font-monospace"),
                    html.Td(u.name),
                    html.Td(KIND_LABELS.get(u.kind, u.kind)),
                    html.Td(_validity(u)),
                    html.Td(fmt_int(u.dossiers), className="text-end", **{"data-unit": u.code}),
                    html.Td(fmt_date(u.newest_received)),
                ]
            )
            for u in sorted(members, key=lambda u: vn_sort_key(u.name))
        ]
        total = sum(u.dossiers for u in members)
        blocks.append(html.H2(title, className="h5 mt-3"))
        blocks.append(
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Mã"),
                                html.Th("Đơn vị"),
                                html.Th("Loại"),
                                html.Th("Hiệu lực"),
                                html.Th("Số hồ sơ", className="text-end"),
                                html.Th("Tiếp nhận gần nhất"),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                    html.Tfoot(
                        html.Tr(
                            [
                                html.Th("Cộng", colSpan=4),
                                html.Th(fmt_int(total), className="text-end"),
                                html.Th(""),
                            ]
                        )
                    ),
                ],
                striped=True,
                hover=True,
                size="sm",
                className="unit-count-table",
            )
        )
    return html.Div(blocks)
