"""The data page's "Gộp tên cán bộ": two spellings of one officer counted as one person."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from layouts.components.dropdown import dropdown


def section() -> html.Div:
    """The form (filled by callbacks/officer_merge.py)."""
    return html.Div(
        [
            html.H2("Gộp tên cán bộ", className="h5 mt-4"),
            html.P(
                "Một cán bộ được ghi hai cách trong quá trình xử lý (ví dụ «Nguyen Van Hung» và "
                "«Nguyễn Văn Hùng»): chọn tên giữ lại và tên gộp vào; số liệu của đơn vị được "
                "tính lại ngay.",
                className="text-muted small",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Đơn vị", html_for="data-om-unit"),
                            dropdown(id="data-om-unit", placeholder="Chọn đơn vị"),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Tên giữ lại", html_for="data-om-keep"),
                            dropdown(id="data-om-keep", placeholder="Chọn cán bộ"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Tên gộp vào", html_for="data-om-other"),
                            dropdown(id="data-om-other", placeholder="Chọn cán bộ"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        dbc.Button("Gộp", id="data-om-go", color="primary"),
                        md=2,
                        className="d-flex align-items-end",
                    ),
                ],  # fmt: skip
                className="g-2",
            ),
            html.Div(id="data-om-result", className="mt-2"),
            html.Div(id="data-om-list", className="mt-2"),
        ]
    )


def merged_list(officers: Sequence[tuple[int, str, str | None]]) -> html.Div | None:
    """The unit's merged spellings, each with «Bỏ gộp»."""
    merged = [(i, n, p) for i, n, p in officers if p]
    if not merged:
        return None
    return html.Div(
        [html.Div("Đã gộp:", className="small text-muted")]
        + [
            html.Div(
                [
                    html.Span(f"«{n}» → «{p}» "),
                    dbc.Button(
                        "Bỏ gộp", id={"type": "data-om-undo", "officer": i}, size="sm", color="link"
                    ),  # fmt: skip
                ]
            )
            for i, n, p in merged
        ]
    )
